using k8s;
using k8s.Models;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Client;

public sealed class PersistentVolumeTests
{
    [Fact]
    public async Task Create_SetsServerFieldsDefaultsAndFinalizer()
    {
        await using var lab = await Lab.StartAsync();
        var sent = Manifests.NfsVolume("pv1");
        sent.Metadata.Uid = "client-made-up";

        var created = await lab.Client.CoreV1.CreatePersistentVolumeAsync(sent);

        created.Metadata.Uid.Should().NotBe("client-made-up").And.NotBeNullOrEmpty();
        created.Metadata.ResourceVersion.Should().NotBeNullOrEmpty();
        created.Metadata.CreationTimestamp.Should().NotBeNull();
        created.Metadata.Finalizers.Should().Equal("kubernetes.io/pv-protection");
        created.Spec.PersistentVolumeReclaimPolicy.Should().Be("Retain");
        created.Spec.VolumeMode.Should().Be("Filesystem");
        created.Status.Phase.Should().Be("Pending");
        var available = await Eventually.WaitAsync(
            () => lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1"), pv => pv.Status.Phase == "Available");
        available.Status.Phase.Should().Be("Available");
    }

    [Fact]
    public async Task Replace_WithCurrentVersion_UpdatesAndBumpsResourceVersion()
    {
        await using var lab = await Lab.StartAsync();
        var created = await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));
        var live = await lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1");
        live.Spec.Capacity["storage"] = new ResourceQuantity("20Gi");

        var replaced = await lab.Client.CoreV1.ReplacePersistentVolumeAsync(live, "pv1");

        replaced.Spec.Capacity["storage"].ToString().Should().Be("20Gi");
        long.Parse(replaced.Metadata.ResourceVersion).Should().BeGreaterThan(long.Parse(created.Metadata.ResourceVersion));
        replaced.Metadata.Uid.Should().Be(created.Metadata.Uid);
    }

    [Fact]
    public async Task Patch_AllFourPatchTypes_ChangeTheVolume()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));

        var json = await lab.Client.CoreV1.PatchPersistentVolumeAsync(
            new V1Patch("""[{"op":"replace","path":"/spec/capacity/storage","value":"11Gi"}]""", V1Patch.PatchType.JsonPatch), "pv1");
        var merge = await lab.Client.CoreV1.PatchPersistentVolumeAsync(
            new V1Patch("""{"metadata":{"labels":{"tier":"gold","app":null}}}""", V1Patch.PatchType.MergePatch), "pv1");
        var strategic = await lab.Client.CoreV1.PatchPersistentVolumeAsync(
            new V1Patch("""{"spec":{"persistentVolumeReclaimPolicy":"Delete"}}""", V1Patch.PatchType.StrategicMergePatch), "pv1");
        var applied = await lab.Client.CoreV1.PatchPersistentVolumeAsync(
            new V1Patch("""{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv1","annotations":{"owner":"stateforge"}}}""",
                V1Patch.PatchType.ApplyPatch), "pv1", fieldManager: "stateforge");

        json.Spec.Capacity["storage"].ToString().Should().Be("11Gi");
        merge.Metadata.Labels.Should().Equal(new Dictionary<string, string> { ["tier"] = "gold" });
        strategic.Spec.PersistentVolumeReclaimPolicy.Should().Be("Delete");
        applied.Metadata.Annotations.Should().ContainKey("owner").WhoseValue.Should().Be("stateforge");
        applied.Metadata.ManagedFields.Should().Contain(m => m.Manager == "stateforge" && m.Operation == "Apply");
    }

    [Fact]
    public async Task Delete_ReturnsTheDeletedVolume_AndReadThenFails()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));

        var deleted = await lab.Client.CoreV1.DeletePersistentVolumeAsync("pv1");

        deleted.Metadata.Name.Should().Be("pv1");
        deleted.Spec.Nfs.Server.Should().Be("nfs.example.com");
        var gone = await Eventually.WaitAsync(
            () => Task.FromResult(lab.Server.Find("v1", "PersistentVolume", null, "pv1")), pv => pv is null);
        gone.Should().BeNull();
        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1"));
        code.Should().Be(404);
        status["message"]!.GetValue<string>().Should().Be("persistentvolumes \"pv1\" not found");
    }

    [Fact]
    public async Task Replace_SourceChange_IsRejectedAsImmutable()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));
        var live = await lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1");
        live.Spec.Nfs.Path = "/exports/elsewhere";

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.ReplacePersistentVolumeAsync(live, "pv1"));

        code.Should().Be(422);
        status["reason"]!.GetValue<string>().Should().Be("Invalid");
        status["message"]!.GetValue<string>().Should().Be(
            "PersistentVolume \"pv1\" is invalid: spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation");
        status["details"]!["kind"]!.GetValue<string>().Should().Be("PersistentVolume");
        var cause = status["details"]!["causes"]![0]!;
        cause["reason"]!.GetValue<string>().Should().Be("FieldValueForbidden");
        cause["field"]!.GetValue<string>().Should().Be("spec.persistentvolumesource");
    }

    [Fact]
    public async Task Create_WithoutAccessModesOrSource_ListsEveryProblem()
    {
        await using var lab = await Lab.StartAsync();
        var pv = Manifests.NfsVolume("pv1");
        pv.Spec.AccessModes = null;
        pv.Spec.Nfs = null;

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.CreatePersistentVolumeAsync(pv));

        code.Should().Be(422);
        var fields = status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>());
        fields.Should().Contain(["spec.accessModes", "spec"]);
    }
}
