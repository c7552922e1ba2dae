using k8s;
using k8s.Models;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Client;

public sealed class ErrorTests
{
    [Fact]
    public async Task Read_MissingClaim_Is404WithTheDocumentedStatus()
    {
        await using var lab = await Lab.StartAsync();

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("db", "default"));

        code.Should().Be(404);
        var expected = System.Text.Json.Nodes.JsonNode.Parse(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"persistentvolumeclaims \"db\" not found","reason":"NotFound","details":{"name":"db","kind":"persistentvolumeclaims"},"code":404}""");
        System.Text.Json.Nodes.JsonNode.DeepEquals(status, expected).Should().BeTrue(status.ToJsonString());
    }

    [Fact]
    public async Task Read_MissingDeployment_NamesTheGroup()
    {
        await using var lab = await Lab.StartAsync();

        var (_, status) = await ApiErrors.CatchAsync(() => lab.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default"));

        status["message"]!.GetValue<string>().Should().Be("deployments.apps \"web\" not found");
        status["details"]!["group"]!.GetValue<string>().Should().Be("apps");
        status["details"]!["kind"]!.GetValue<string>().Should().Be("deployments");
    }

    [Fact]
    public async Task Create_Twice_IsAlreadyExists()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("web"), "default");

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("web"), "default"));

        code.Should().Be(409);
        status["reason"]!.GetValue<string>().Should().Be("AlreadyExists");
        status["message"]!.GetValue<string>().Should().Be("services \"web\" already exists");
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_IsConflict()
    {
        await using var lab = await Lab.StartAsync();
        var stale = await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));
        await lab.Client.CoreV1.PatchPersistentVolumeAsync(new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "pv1");

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.ReplacePersistentVolumeAsync(stale, "pv1"));

        code.Should().Be(409);
        status["reason"]!.GetValue<string>().Should().Be("Conflict");
        status["message"]!.GetValue<string>().Should().Be(
            "Operation cannot be fulfilled on persistentvolumes \"pv1\": the object has been modified; please apply your changes to the latest version and try again");
    }

    [Fact]
    public async Task Create_InMissingNamespace_IsNamespaceNotFound()
    {
        await using var lab = await Lab.StartAsync();

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("web", ns: null), "nowhere"));

        code.Should().Be(404);
        status["message"]!.GetValue<string>().Should().Be("namespaces \"nowhere\" not found");
    }

    [Fact]
    public async Task Replace_WithNameDifferentFromUrl_IsBadRequest()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));

        var (code, _) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.ReplacePersistentVolumeAsync(Manifests.NfsVolume("pv2"), "pv1"));

        code.Should().Be(400);
    }

    [Fact]
    public async Task ApplyPatch_WithoutFieldManager_AndForceOnMergePatch_AreInvalid()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));

        var (noManager, _) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.PatchPersistentVolumeAsync(
            new V1Patch("""{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv1"}}""", V1Patch.PatchType.ApplyPatch), "pv1"));
        var (forced, _) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.PatchPersistentVolumeAsync(
            new V1Patch("{}", V1Patch.PatchType.MergePatch), "pv1", force: true));

        noManager.Should().Be(422);
        forced.Should().Be(422);
    }

    [Fact]
    public async Task ApplyPatch_ToMissingObject_CreatesIt()
    {
        await using var lab = await Lab.StartAsync();
        var body = """{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},"spec":{"ports":[{"port":80}]}}""";

        var created = await lab.Client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch(body, V1Patch.PatchType.ApplyPatch), "web", "default", fieldManager: "stateforge", force: true);

        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Spec.ClusterIP.Should().StartWith("172.30.");
    }

    [Fact]
    public async Task ApplyPatch_FromTwoManagers_ConflictsUnlessForced()
    {
        await using var lab = await Lab.StartAsync();
        string Body(int replicas) =>
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}""".Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await lab.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(Body(1), V1Patch.PatchType.ApplyPatch), "web", "default", fieldManager: "alice");

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(Body(3), V1Patch.PatchType.ApplyPatch), "web", "default", fieldManager: "bob"));
        var forced = await lab.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(Body(3), V1Patch.PatchType.ApplyPatch), "web", "default", fieldManager: "bob", force: true);

        code.Should().Be(409);
        status["message"]!.GetValue<string>().Should().Be("Apply failed with 1 conflict: conflict with \"alice\": .spec.replicas");
        forced.Spec.Replicas.Should().Be(3);
    }

    [Fact]
    public async Task ApplyPatch_DroppingAFieldItApplied_RemovesIt()
    {
        await using var lab = await Lab.StartAsync();
        var withLabel = """{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv1","labels":{"keep":"1","drop":"1"}},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/tmp/pv1"}}}""";
        var withoutLabel = withLabel.Replace(",\"drop\":\"1\"", "", StringComparison.Ordinal);
        await lab.Client.CoreV1.PatchPersistentVolumeAsync(new V1Patch(withLabel, V1Patch.PatchType.ApplyPatch), "pv1", fieldManager: "sf");

        var applied = await lab.Client.CoreV1.PatchPersistentVolumeAsync(new V1Patch(withoutLabel, V1Patch.PatchType.ApplyPatch), "pv1", fieldManager: "sf");

        applied.Metadata.Labels.Should().Equal(new Dictionary<string, string> { ["keep"] = "1" });
    }
}
