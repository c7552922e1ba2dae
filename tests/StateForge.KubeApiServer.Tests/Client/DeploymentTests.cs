using k8s;
using k8s.Models;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Client;

public sealed class DeploymentTests
{
    [Fact]
    public async Task Create_StartsAtGenerationOne_WithDefaults_AndSettles()
    {
        await using var lab = await Lab.StartAsync();

        var created = await lab.Client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("web"), "default");

        created.Metadata.Generation.Should().Be(1);
        created.Spec.Strategy.Type.Should().Be("RollingUpdate");
        created.Spec.RevisionHistoryLimit.Should().Be(10);
        created.Spec.Template.Spec.Containers[0].ImagePullPolicy.Should().Be("IfNotPresent");
        created.Spec.Template.Spec.Containers[0].Ports[0].Protocol.Should().Be("TCP");
        var settled = await lab.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        settled.Status.ObservedGeneration.Should().Be(1);
        settled.Status.AvailableReplicas.Should().Be(1);
    }

    [Fact]
    public async Task SpecOrAnnotationChange_GrowsGeneration_LabelChangeDoesNot()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("web"), "default");

        var labelled = await lab.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"x":"1"}}}""", V1Patch.PatchType.MergePatch), "web", "default");
        var scaled = await lab.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch), "web", "default");
        var annotated = await lab.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"annotations":{"a":"1"}}}""", V1Patch.PatchType.MergePatch), "web", "default");

        labelled.Metadata.Generation.Should().Be(1);
        scaled.Metadata.Generation.Should().Be(2);
        annotated.Metadata.Generation.Should().Be(3);
    }

    [Fact]
    public async Task SelectorChange_IsImmutable()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("web"), "default");

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}""",
                V1Patch.PatchType.StrategicMergePatch), "web", "default"));

        code.Should().Be(422);
        status["details"]!["causes"]!.AsArray().Should().Contain(c => c!["field"]!.GetValue<string>() == "spec.selector");
        status["message"]!.GetValue<string>().Should().StartWith("Deployment.apps \"web\" is invalid: ").And.Contain("field is immutable");
    }

    [Fact]
    public async Task TwoVolumeSources_InOneVolume_AreInvalid()
    {
        await using var lab = await Lab.StartAsync();
        var deployment = Manifests.Deployment("web");
        deployment.Spec.Template.Spec.Volumes[0].PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "data" };

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default"));

        code.Should().Be(422);
        status["message"]!.GetValue<string>().Should().Be(
            "Deployment.apps \"web\" is invalid: spec.template.spec.volumes[0].persistentVolumeClaim: Forbidden: may not specify more than 1 volume type");
    }

    [Fact]
    public async Task StrategicPatch_MergesPortsByContainerPort_AndMountsByPath()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("web"), "default");
        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}],"volumeMounts":[{"mountPath":"/data","readOnly":true}]}]}}}}""";

        var patched = await lab.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "web", "default");

        var container = patched.Spec.Template.Spec.Containers.Should().ContainSingle().Subject;
        container.Ports.Select(p => p.ContainerPort).Should().Equal(80, 443);
        container.Ports[0].Name.Should().Be("http");
        container.VolumeMounts.Should().ContainSingle().Which.ReadOnlyProperty.Should().BeTrue();
    }

    [Fact]
    public async Task Delete_AnswersSuccessStatus()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("web"), "default");

        var status = await lab.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "default");

        status.Status.Should().Be("Success");
        status.Details.Name.Should().Be("web");
    }
}
