using System.Text.Json.Nodes;
using StateForge.Cluster.Tests.Support;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Hosting;
using StateForge.Modules.Cluster;
using StateForge.Planning;

namespace StateForge.Cluster.Tests.Modules;

public sealed class VolumeModuleTests
{
    private static readonly VolumeModule Module = new();

    private static readonly VolumeParams Swap = TestObjects.RegistrySwap with { Wait = true, WaitTimeout = 10 };

    [Fact]
    public async Task Swap_OnTheRegistryAsOadmLeftIt_RollsOutVersionTwo_ThenRerunIsOk()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true });

        var swap = await lab.RunAsync(Module, Swap);
        await lab.NewRunAsync();
        var again = await lab.RunAsync(Module, Swap);

        swap.Failed.Should().BeFalse(swap.Message);
        var change = swap.Changes.Single();
        change.Resource.Should().Be("DeploymentConfig default/docker-registry volume registry-storage");
        change.Action.Should().Be(ChangeAction.Modify);
        change.Diff.Should().Contain("-  emptyDir: {}").And.Contain("+  persistentVolumeClaim:").And.Contain("+    claimName: registry-claim");
        swap.Result["latest_version"].Should().Be(2L);
        swap.Result["rollout"].Should().Be("docker-registry-2");
        var dc = lab.Find("apps.openshift.io/v1", "DeploymentConfig", "default", "docker-registry")!;
        var volume = dc["spec"]!["template"]!["spec"]!["volumes"]![0]!.AsObject();
        volume.Select(p => p.Key).Should().BeEquivalentTo(["name", "persistentVolumeClaim"], "the emptyDir went in the same write");
        dc["spec"]!["template"]!["spec"]!["containers"]![0]!["volumeMounts"]![0]!["mountPath"]!.GetValue<string>().Should().Be("/registry");
        lab.Find("v1", "ReplicationController", "default", "docker-registry-2").Should().NotBeNull();
        again.Failed.Should().BeFalse(again.Message);
        again.Changed.Should().BeFalse();
        again.Result["latest_version"].Should().Be(2L);
    }

    [Fact]
    public async Task Swap_WithoutOverwrite_IsRefused_SayingOverwriteWouldReplaceIt()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true });

        var plan = await lab.RunAsync(Module, Swap with { Overwrite = false });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be(
            "DeploymentConfig default/docker-registry already has volume \"registry-storage\" (emptyDir); " +
            "overwrite: true would replace it with persistentVolumeClaim {\"claimName\":\"registry-claim\"}");
        Latest(lab).Should().Be(1);
    }

    [Fact]
    public async Task CheckMode_ShowsTheDryRunDiff_PredictsTheRollout_AndChangesNothing()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true });
        var version = lab.Server.ResourceVersion;

        var plan = await lab.RunAsync(Module, Swap, checkMode: true);

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changed.Should().BeTrue();
        plan.Changes.Single().Diff.Should().Contain("+    claimName: registry-claim");
        plan.Result["latest_version"].Should().Be(2L);
        lab.Requests.Should().Contain(r => r.StartsWith("PUT /apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs/docker-registry?dryRun=All", StringComparison.Ordinal));
        lab.Server.ResourceVersion.Should().Be(version);
        Latest(lab).Should().Be(1);
        lab.Find("v1", "ReplicationController", "default", "docker-registry-2").Should().BeNull();
    }

    [Fact]
    public async Task StaleWrite_409Conflict_IsRetriedFromAFreshRead()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true });
        var parameters = Swap with { Wait = false };
        var context = lab.Context();
        var planned = await Module.PlanAsync(parameters, context, CancellationToken.None);
        lab.Server.Faults.Enqueue(new Fault("PUT", "/apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs/docker-registry", 409)
        {
            Reason = "Conflict",
            Message = "Operation cannot be fulfilled on deploymentconfigs.apps.openshift.io \"docker-registry\": the object has been modified; please apply your changes to the latest version and try again",
        });

        var plan = await Module.ApplyAsync(parameters, planned, context, CancellationToken.None);

        plan.Failed.Should().BeFalse(plan.Message);
        Latest(lab).Should().Be(2);
        var writes = lab.Requests.Where(r => r.StartsWith("PUT /apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs/docker-registry", StringComparison.Ordinal) &&
            !r.Contains("dryRun", StringComparison.Ordinal)).ToList();
        writes.Should().HaveCount(2, "one conflict, one retry");
        writes[0].Should().Contain("409");
    }

    [Fact]
    public async Task Absent_RemovesTheVolumeAndItsMounts()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true });

        var plan = await lab.RunAsync(Module, new VolumeParams
        {
            Kind = WorkloadKind.DeploymentConfig,
            Name = "docker-registry",
            VolumeName = "registry-storage",
            State = ObjectState.Absent,
        });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changes.Single().Action.Should().Be(ChangeAction.Delete);
        var spec = lab.Find("apps.openshift.io/v1", "DeploymentConfig", "default", "docker-registry")!["spec"]!["template"]!["spec"]!;
        (spec["volumes"] as JsonArray ?? []).Should().BeEmpty();
        (spec["containers"]![0]!["volumeMounts"] as JsonArray ?? []).Should().BeEmpty();
    }

    [Fact]
    public async Task UnknownContainer_IsNamed()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true });

        var plan = await lab.RunAsync(Module, Swap with { Containers = ["router"] });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("DeploymentConfig default/docker-registry has no container \"router\" (it has \"registry\")");
    }

    [Fact]
    public async Task MissingWorkload_IsNotFound()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(Module, Swap);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("DeploymentConfig default/docker-registry not found");
    }

    private static long Latest(ClusterLab lab) =>
        lab.Find("apps.openshift.io/v1", "DeploymentConfig", "default", "docker-registry")!["status"]!["latestVersion"]!.GetValue<long>();
}
