using StateForge.Cluster.Tests.Support;
using StateForge.Modules.Cluster;
using StateForge.Planning;

namespace StateForge.Cluster.Tests.Modules;

public sealed class PvModuleTests
{
    private static readonly PvModule Module = new();

    private static PvParams Registry(string server = "nfs.example.com") => new()
    {
        Name = "registry-volume",
        Capacity = "5Gi",
        AccessModes = ["ReadWriteMany"],
        Nfs = new NfsSource { Server = server, Path = "/exports/registry" },
        Labels = new Dictionary<string, string> { ["storage"] = "registry" },
    };

    [Fact]
    public async Task Create_ThenRerun_IsOk_DespiteServerDefaults()
    {
        await using var lab = await ClusterLab.StartAsync();

        var created = await lab.RunAsync(Module, Registry());
        await lab.NewRunAsync();
        var again = await lab.RunAsync(Module, Registry());

        created.Failed.Should().BeFalse(created.Message);
        created.Changes.Single().Should().Match<ResourceChange>(c => c.Resource == "PersistentVolume registry-volume" && c.Action == ChangeAction.Create);
        var stored = lab.Find("v1", "PersistentVolume", null, "registry-volume")!;
        stored["spec"]!["persistentVolumeReclaimPolicy"]!.GetValue<string>().Should().Be("Retain");
        again.Failed.Should().BeFalse(again.Message);
        again.Changed.Should().BeFalse();
    }

    [Fact]
    public async Task CapacityChange_IsAnUpdate_WithADiff()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.RunAsync(Module, Registry());

        var plan = await lab.RunAsync(Module, Registry() with { Capacity = "10Gi" });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changes.Single().Action.Should().Be(ChangeAction.Modify);
        plan.Changes.Single().Diff.Should().Contain("-    storage: 5Gi").And.Contain("+    storage: 10Gi");
        lab.Find("v1", "PersistentVolume", null, "registry-volume")!["spec"]!["capacity"]!["storage"]!.GetValue<string>().Should().Be("10Gi");
    }

    [Fact]
    public async Task SourceChange_IsRefused_NamingTheFieldAndRecreate()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.RunAsync(Module, Registry());

        var plan = await lab.RunAsync(Module, Registry("nfs2.example.com"));

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Contain("PersistentVolume registry-volume").And.Contain("spec.nfs").And.Contain("recreate: true");
        plan.Changes.Single().Diff.Should().Contain("+    server: nfs2.example.com");
        lab.Find("v1", "PersistentVolume", null, "registry-volume")!["spec"]!["nfs"]!["server"]!.GetValue<string>().Should().Be("nfs.example.com");
    }

    [Fact]
    public async Task SourceChange_WithRecreate_ReplacesTheVolume()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.RunAsync(Module, Registry());
        var uid = lab.Find("v1", "PersistentVolume", null, "registry-volume")!["metadata"]!["uid"]!.GetValue<string>();

        var plan = await lab.RunAsync(Module, Registry("nfs2.example.com") with { Recreate = true });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Warnings.Should().ContainSingle().Which.Should().Contain("deleted and created again");
        var stored = lab.Find("v1", "PersistentVolume", null, "registry-volume")!;
        stored["spec"]!["nfs"]!["server"]!.GetValue<string>().Should().Be("nfs2.example.com");
        stored["metadata"]!["uid"]!.GetValue<string>().Should().NotBe(uid);
    }

    [Fact]
    public async Task CheckMode_ShowsTheDryRunDiff_AndChangesNothing()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.RunAsync(Module, Registry());
        var version = lab.Server.ResourceVersion;

        var plan = await lab.RunAsync(Module, Registry() with { ReclaimPolicy = ReclaimPolicy.Delete }, checkMode: true);

        plan.Changed.Should().BeTrue();
        plan.Changes.Single().Diff.Should().Contain("-  persistentVolumeReclaimPolicy: Retain").And.Contain("+  persistentVolumeReclaimPolicy: Delete");
        lab.Requests.Should().Contain(r => r.StartsWith("PATCH /api/v1/persistentvolumes/registry-volume?dryRun=All", StringComparison.Ordinal));
        lab.Server.ResourceVersion.Should().Be(version, "a dry run stores nothing");
    }

    [Fact]
    public async Task Absent_DeletesTheVolume()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.RunAsync(Module, Registry());

        var plan = await lab.RunAsync(Module, new PvParams { Name = "registry-volume", State = ObjectState.Absent });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changes.Single().Action.Should().Be(ChangeAction.Delete);
        lab.Find("v1", "PersistentVolume", null, "registry-volume").Should().BeNull();
    }
}
