using k8s;
using k8s.Models;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Client;

public sealed class DryRunTests
{
    [Fact]
    public async Task DryRunCreate_AnswersWithoutResourceVersion_AndStoresNothing()
    {
        await using var lab = await Lab.StartAsync();
        var before = lab.Server.ResourceVersion;

        var answer = await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"), dryRun: "All");

        answer.Metadata.ResourceVersion.Should().BeNull();
        answer.Spec.PersistentVolumeReclaimPolicy.Should().Be("Retain");
        lab.Server.Find("v1", "PersistentVolume", null, "pv1").Should().BeNull();
        lab.Server.ResourceVersion.Should().Be(before);
    }

    [Fact]
    public async Task DryRunCreate_StillValidates()
    {
        await using var lab = await Lab.StartAsync();
        var pv = Manifests.NfsVolume("pv1");
        pv.Spec.AccessModes = null;

        var (code, _) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.CreatePersistentVolumeAsync(pv, dryRun: "All"));

        code.Should().Be(422);
    }

    [Fact]
    public async Task DryRunPatch_KeepsTheOldResourceVersion_AndChangesNothing()
    {
        await using var lab = await Lab.StartAsync();
        var created = await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("web"), "default");

        var answer = await lab.Client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"spec":{"ports":[{"port":80,"name":"http","targetPort":9090}]}}""", V1Patch.PatchType.StrategicMergePatch),
            "web", "default", dryRun: "All");

        answer.Spec.Ports[0].TargetPort.Value.Should().Be("9090");
        answer.Metadata.ResourceVersion.Should().Be(created.Metadata.ResourceVersion);
        var live = await lab.Client.CoreV1.ReadNamespacedServiceAsync("web", "default");
        live.Spec.Ports[0].TargetPort.Value.Should().Be("8080");
    }

    [Fact]
    public async Task DryRunDelete_LeavesTheObject()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("web"), "default");

        await lab.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "default", dryRun: "All");

        (await lab.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default")).Metadata.Name.Should().Be("web");
    }
}
