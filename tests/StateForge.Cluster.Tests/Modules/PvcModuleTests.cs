using StateForge.Cluster.Tests.Support;
using StateForge.KubeApiServer.Hosting;
using StateForge.Modules.Cluster;
using StateForge.Planning;

namespace StateForge.Cluster.Tests.Modules;

public sealed class PvcModuleTests
{
    private static readonly PvcModule Module = new();

    private static readonly PvParams Volume = new()
    {
        Name = "registry-volume",
        Capacity = "5Gi",
        AccessModes = ["ReadWriteMany"],
        Nfs = new NfsSource { Server = "nfs.example.com", Path = "/exports/registry" },
        Labels = new Dictionary<string, string> { ["storage"] = "registry" },
    };

    private static readonly PvcParams Claim = new()
    {
        Name = "registry-claim",
        Namespace = "default",
        AccessModes = ["ReadWriteMany"],
        Request = "5Gi",
        StorageClass = "",
        Selector = new Dictionary<string, string> { ["storage"] = "registry" },
        WaitTimeout = 10,
    };

    [Fact]
    public async Task Create_WaitsForTheBinder_AndNamesTheVolume()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { BinderDelay = TimeSpan.FromSeconds(1) });
        await lab.RunAsync(new PvModule(), Volume);
        var started = DateTime.UtcNow;

        var plan = await lab.RunAsync(Module, Claim);

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changes.Single().Action.Should().Be(ChangeAction.Create);
        (DateTime.UtcNow - started).Should().BeGreaterThan(TimeSpan.FromMilliseconds(900), "the binder takes a second");
        plan.Result["volume_name"].Should().Be("registry-volume");
        plan.Result["phase"].Should().Be("Bound");
        plan.Result["capacity"].Should().Be("5Gi");
    }

    [Fact]
    public async Task Rerun_OfABoundClaim_IsOk_ThoughTheServerFilledVolumeName()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.RunAsync(new PvModule(), Volume);
        await lab.RunAsync(Module, Claim);
        await lab.NewRunAsync();

        var plan = await lab.RunAsync(Module, Claim);

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changed.Should().BeFalse();
        plan.Result["volume_name"].Should().Be("registry-volume");
    }

    [Fact]
    public async Task NoFittingVolume_TimesOut_SayingWhatWasAskedFor()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(Module, Claim with { WaitTimeout = 1 });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Contain("PersistentVolumeClaim default/registry-claim: not bound after 1s").And.Contain("phase Pending").And.Contain("5Gi or more");
    }

    [Fact]
    public async Task AccessModeChange_IsRefused_NamingTheField()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.RunAsync(Module, Claim with { Wait = false });

        var plan = await lab.RunAsync(Module, Claim with { AccessModes = ["ReadWriteOnce"], Wait = false });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Contain("spec.accessModes").And.Contain("cannot change after creation").And.Contain("recreate: true");
    }

    [Fact]
    public async Task AccessModeChange_WithRecreate_ReplacesTheClaim()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.RunAsync(Module, Claim with { Wait = false });

        var plan = await lab.RunAsync(Module, Claim with { AccessModes = ["ReadWriteOnce"], Wait = false, Recreate = true });

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Find("v1", "PersistentVolumeClaim", "default", "registry-claim")!["spec"]!["accessModes"]![0]!.GetValue<string>().Should().Be("ReadWriteOnce");
    }

    [Fact]
    public async Task CheckMode_CreatesNothing()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(Module, Claim, checkMode: true);

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changes.Single().Action.Should().Be(ChangeAction.Create);
        plan.Changes.Single().Diff.Should().Contain("+  name: registry-claim");
        lab.Find("v1", "PersistentVolumeClaim", "default", "registry-claim").Should().BeNull();
    }
}
