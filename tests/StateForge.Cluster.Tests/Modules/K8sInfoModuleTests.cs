using StateForge.Cluster.Tests.Support;
using StateForge.KubeApiServer.Hosting;
using StateForge.Modules.Cluster;

namespace StateForge.Cluster.Tests.Modules;

public sealed class K8sInfoModuleTests
{
    private static readonly K8sInfoModule Module = new();

    private static string Service(string name, string tier) => $$"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {{name}}
          labels:
            app: shop
            tier: {{tier}}
        spec:
          selector:
            app: shop
          ports:
          - port: 80
        """;

    [Fact]
    public async Task ByName_FindsTheSeededRegistry_InCheckModeToo_AndChangesNothing()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true });
        var parameters = new K8sInfoParams { ApiVersion = "apps.openshift.io/v1", Kind = "DeploymentConfig", Name = "docker-registry", Namespace = "default" };

        var plan = await lab.RunAsync(Module, parameters, checkMode: true);

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changed.Should().BeFalse();
        plan.Changes.Should().BeEmpty();
        var resources = plan.Result["resources"].Should().BeAssignableTo<IReadOnlyList<object?>>().Subject;
        var dc = resources.Should().ContainSingle().Subject.Should().BeAssignableTo<IReadOnlyDictionary<string, object?>>().Subject;
        dc["kind"].Should().Be("DeploymentConfig");
        ((IReadOnlyDictionary<string, object?>)dc["metadata"]!)["name"].Should().Be("docker-registry");
    }

    [Fact]
    public async Task ByName_Missing_IsAnEmptyList_NotAFailure()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(Module, new K8sInfoParams { Kind = "Service", Name = "nothing-here", Namespace = "default" });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["resources"].Should().BeAssignableTo<IReadOnlyList<object?>>().Which.Should().BeEmpty();
    }

    [Fact]
    public async Task ByLabels_ListsOnlyTheMatchingObjects()
    {
        await using var lab = await ClusterLab.StartAsync();
        foreach (var (name, tier) in new[] { ("web", "front"), ("db", "data"), ("cache", "data") })
        {
            (await lab.RunAsync(new K8sModule(), new K8sParams { Definition = Service(name, tier), Namespace = "default" })).Failed.Should().BeFalse();
        }

        var data = await lab.RunAsync(Module, new K8sInfoParams { Kind = "Service", Namespace = "default", LabelSelectors = ["app=shop", "tier=data"] });
        var notData = await lab.RunAsync(Module, new K8sInfoParams { Kind = "Service", Namespace = "default", LabelSelectors = ["tier!=data"] });
        var byNameWrongLabel = await lab.RunAsync(Module, new K8sInfoParams { Kind = "Service", Namespace = "default", Name = "web", LabelSelectors = ["tier=data"] });

        Names(data).Should().BeEquivalentTo("db", "cache");
        Names(notData).Should().Contain("web").And.NotContain("db").And.NotContain("cache");
        Names(byNameWrongLabel).Should().BeEmpty("the named object does not match the selector");
    }

    [Fact]
    public async Task UnknownKind_IsAClearFailure()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(Module, new K8sInfoParams { ApiVersion = "example.com/v1", Kind = "Gadget", Namespace = "default" });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Contain("Gadget");
    }

    private static IEnumerable<string?> Names(Planning.TaskPlan plan) =>
        ((IReadOnlyList<object?>)plan.Result["resources"]!).Cast<IReadOnlyDictionary<string, object?>>()
            .Select(o => ((IReadOnlyDictionary<string, object?>)o["metadata"]!)["name"] as string);
}
