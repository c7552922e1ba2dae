using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Client;

public sealed class DeploymentConfigTests
{
    private const string Group = "apps.openshift.io";
    private const string Version = "v1";
    private const string Plural = "deploymentconfigs";

    [Fact]
    public async Task Create_RollsOutVersionOne()
    {
        await using var lab = await Lab.StartAsync();

        await lab.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Manifests.DeploymentConfig("app"), Group, Version, "default", Plural);

        var dc = await ReadAsync(lab, "app");
        dc["status"]!["latestVersion"]!.GetValue<long>().Should().Be(1);
        var rc = await lab.Client.CoreV1.ReadNamespacedReplicationControllerAsync("app-1", "default");
        rc.Metadata.Annotations.Should().Contain("openshift.io/deployment-config.name", "app")
            .And.Contain("openshift.io/deployment-config.latest-version", "1")
            .And.Contain("openshift.io/deployment.phase", "Complete");
        rc.Metadata.Labels.Should().Contain("deploymentconfig", "app").And.Contain("deployment", "app-1");
    }

    [Fact]
    public async Task TemplateChange_BumpsLatestVersion_AndCreatesControllerTwo()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Manifests.DeploymentConfig("app"), Group, Version, "default", Plural);
        var live = await ReadAsync(lab, "app");
        live["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "registry:2.8";

        await lab.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(
            JsonSerializer.Deserialize<object>(live.ToJsonString())!, Group, Version, "default", Plural, "app");

        var dc = await ReadAsync(lab, "app");
        dc["status"]!["latestVersion"]!.GetValue<long>().Should().Be(2);
        dc["status"]!["details"]!["message"]!.GetValue<string>().Should().Be("config change");
        dc["status"]!["details"]!["causes"]![0]!["type"]!.GetValue<string>().Should().Be("ConfigChange");
        var second = await lab.Client.CoreV1.ReadNamespacedReplicationControllerAsync("app-2", "default");
        second.Spec.Template.Spec.Containers[0].Image.Should().Be("registry:2.8");
        second.Metadata.Labels.Should().Contain("deployment", "app-2");
        var first = await lab.Client.CoreV1.ReadNamespacedReplicationControllerAsync("app-1", "default");
        first.Spec.Replicas.Should().Be(0);
    }

    [Fact]
    public async Task ReplicasOnlyChange_DoesNotRollOut()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Manifests.DeploymentConfig("app"), Group, Version, "default", Plural);

        await lab.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, "app");

        var dc = await ReadAsync(lab, "app");
        dc["status"]!["latestVersion"]!.GetValue<long>().Should().Be(1);
        var rcs = await lab.Client.CoreV1.ListNamespacedReplicationControllerAsync("default", labelSelector: "deploymentconfig=app");
        rcs.Items.Should().ContainSingle().Which.Spec.Replicas.Should().Be(3);
    }

    [Fact]
    public async Task StrategicPatch_AddingAClaimToAnEmptyDirVolume_IsRejected()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Server.CreateRegistryAsOadmLeavesItAsync();
        var patch = """{"spec":{"template":{"spec":{"volumes":[{"name":"registry-storage","persistentVolumeClaim":{"claimName":"registry"}}]}}}}""";

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), Group, Version, "default", Plural, "docker-registry"));

        code.Should().Be(422);
        status["details"]!["kind"]!.GetValue<string>().Should().Be("DeploymentConfig");
        status["details"]!["causes"]![0]!["message"]!.GetValue<string>().Should().Be("Forbidden: may not specify more than 1 volume type");
        status["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be("spec.template.spec.volumes[0].persistentVolumeClaim");
    }

    [Fact]
    public async Task StrategicPatch_ThatNullsTheOldSource_SwapsTheVolume_AndRollsOut()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Server.CreateRegistryAsOadmLeavesItAsync();
        var patch = """{"spec":{"template":{"spec":{"volumes":[{"name":"registry-storage","emptyDir":null,"persistentVolumeClaim":{"claimName":"registry"}}]}}}}""";

        await lab.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), Group, Version, "default", Plural, "docker-registry");

        var dc = await ReadAsync(lab, "docker-registry");
        var volume = dc["spec"]!["template"]!["spec"]!["volumes"]![0]!.AsObject();
        volume.Select(p => p.Key).Should().BeEquivalentTo("name", "persistentVolumeClaim");
        dc["spec"]!["template"]!["spec"]!["containers"]![0]!["volumeMounts"]![0]!["mountPath"]!.GetValue<string>().Should().Be("/registry");
        dc["status"]!["latestVersion"]!.GetValue<long>().Should().Be(2);
    }

    [Fact]
    public async Task StrategicPatch_ReplaceDirective_ReplacesTheVolumeList()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Server.CreateRegistryAsOadmLeavesItAsync();
        var patch = """{"spec":{"template":{"spec":{"volumes":[{"$patch":"replace"},{"name":"registry-storage","persistentVolumeClaim":{"claimName":"registry"}}]}}}}""";

        await lab.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), Group, Version, "default", Plural, "docker-registry");

        var dc = await ReadAsync(lab, "docker-registry");
        dc["spec"]!["template"]!["spec"]!["volumes"]!.ToJsonString().Should().Be(
            """[{"name":"registry-storage","persistentVolumeClaim":{"claimName":"registry"}}]""");
    }

    [Fact]
    public async Task StrategicPatch_MergesContainersAndEnvByName()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Server.CreateRegistryAsOadmLeavesItAsync();
        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"registry","env":[{"name":"REGISTRY_HTTP_NET","$patch":"delete"},{"name":"EXTRA","value":"1"}]}]}}}}""";

        await lab.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), Group, Version, "default", Plural, "docker-registry");

        var dc = await ReadAsync(lab, "docker-registry");
        var container = dc["spec"]!["template"]!["spec"]!["containers"]![0]!;
        container["image"]!.GetValue<string>().Should().StartWith("openshift/origin-docker-registry");
        container["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>())
            .Should().Equal("REGISTRY_HTTP_ADDR", "REGISTRY_HTTP_SECRET", "EXTRA");
    }

    [Fact]
    public async Task Delete_AnswersSuccessStatus_AndRemovesItsControllers()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Manifests.DeploymentConfig("app"), Group, Version, "default", Plural);

        var answer = await lab.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, "default", Plural, "app");

        JsonNode.Parse(JsonSerializer.Serialize(answer))!["status"]!.GetValue<string>().Should().Be("Success");
        var rcs = await lab.Client.CoreV1.ListNamespacedReplicationControllerAsync("default");
        rcs.Items.Should().BeEmpty();
    }

    private static async Task<JsonObject> ReadAsync(Lab lab, string name)
    {
        var raw = await lab.Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", Plural, name);
        return JsonNode.Parse(JsonSerializer.Serialize(raw))!.AsObject();
    }
}
