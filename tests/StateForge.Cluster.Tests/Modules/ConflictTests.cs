using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using StateForge.Cluster.Tests.Support;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Hosting;
using StateForge.Modules.Cluster;

namespace StateForge.Cluster.Tests.Modules;

/// <summary>409 Conflict on an update (a stale resourceVersion): read again and retry, a bounded number of times.</summary>
public sealed class ConflictTests
{
    private const string ServicePath = "/api/v1/namespaces/default/services/web";
    private const string DcPath = "/apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs/docker-registry";

    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - port: 80
            targetPort: 8080
        """;

    private static readonly K8sParams Replace = new() { Definition = Service.Replace("8080", "9090", StringComparison.Ordinal), Apply = false, Force = true };

    private static readonly VolumeParams Swap = TestObjects.RegistrySwap with { Wait = false };

    private static Fault StaleWrite(string path, int count) => new("PUT", path, 409, count)
    {
        DryRun = false,
        Reason = "Conflict",
        Message = "Operation cannot be fulfilled on services \"web\": the object has been modified; please apply your changes to the latest version and try again",
    };

    [Fact]
    public async Task Replace_409Conflict_IsReadAgainAndRetried()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.Server.SeedAsync(Service);
        lab.Server.Faults.Enqueue(StaleWrite(ServicePath, 2));

        var plan = await lab.RunAsync(new K8sModule(), Replace);

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Find("v1", "Service", "default", "web")!["spec"]!["ports"]![0]!["targetPort"]!.GetValue<long>().Should().Be(9090);
        lab.Answers("PUT", ServicePath, dryRun: false).Should().Equal("409", "409", "200");
        lab.Answers("GET", ServicePath).Should().HaveCount(3, "one read for the plan, then one fresh read after each conflict");
    }

    [Fact]
    public async Task Replace_ConflictsThatKeepComing_GiveUpAfterFiveAttempts_WithAClearError()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.Server.SeedAsync(Service);
        lab.Server.Faults.Enqueue(StaleWrite(ServicePath, 100));

        var plan = await lab.RunAsync(new K8sModule(), Replace);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be(
            "Service \"default/web\": Conflict: Operation cannot be fulfilled on services \"web\": the object has been modified; please apply your changes to the latest version and try again " +
            "(still conflicting after 5 attempts, each from a fresh read: something else keeps changing it)");
        lab.Answers("PUT", ServicePath, dryRun: false).Should().HaveCount(5);
        lab.Find("v1", "Service", "default", "web")!["spec"]!["ports"]![0]!["targetPort"]!.GetValue<long>().Should().Be(8080);
    }

    [Fact]
    public async Task Replace_AnswerLost_TheRetryMeetsItsOwnWriteAsAConflict_ReadsAgain_AndConverges()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.Server.SeedAsync(Service);
        lab.Server.Faults.Enqueue(new Fault("PUT", ServicePath, 503) { DryRun = false, AfterServing = true });

        var plan = await lab.RunAsync(new K8sModule(), Replace);

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Answers("PUT", ServicePath, dryRun: false).Should().Equal("200 (served, answer lost)", "503", "409", "200");
        lab.Find("v1", "Service", "default", "web")!["spec"]!["ports"]![0]!["targetPort"]!.GetValue<long>().Should().Be(9090);
    }

    [Fact]
    public async Task ConflictAttempts_AreSettable()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.RetryPolicy = ClusterLab.FastRetries with { ConflictAttempts = 2 };
        await lab.Server.SeedAsync(Service);
        lab.Server.Faults.Enqueue(StaleWrite(ServicePath, 100));

        var plan = await lab.RunAsync(new K8sModule(), Replace);

        plan.Message.Should().EndWith("(still conflicting after 2 attempts, each from a fresh read: something else keeps changing it)");
        lab.Answers("PUT", ServicePath, dryRun: false).Should().HaveCount(2);
    }

    [Fact]
    public async Task VolumeSwap_AfterAnotherWriterChangedTheObject_RealConflict_IsRetriedFromAFreshRead_KeepingTheirChange()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true });
        var module = new VolumeModule();
        var context = lab.Context();
        var planned = await module.PlanAsync(Swap, context, CancellationToken.None);
        using (var other = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(lab.Kubeconfig)))
        {
            // Between plan and apply someone else writes: the resourceVersion this run read is now stale.
            var patch = new V1Patch("""{"metadata":{"labels":{"touched-by":"someone-else"}}}""", V1Patch.PatchType.MergePatch);
            await other.CustomObjects.PatchNamespacedCustomObjectAsync(patch, "apps.openshift.io", "v1", "default", "deploymentconfigs", "docker-registry");
        }

        var plan = await module.ApplyAsync(Swap, planned, context, CancellationToken.None);

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Answers("PUT", DcPath, dryRun: false).Should().Equal("409", "200");
        var dc = lab.Find("apps.openshift.io/v1", "DeploymentConfig", "default", "docker-registry")!;
        dc["metadata"]!["labels"]!["touched-by"]!.GetValue<string>().Should().Be("someone-else");
        ((JsonArray)dc["spec"]!["template"]!["spec"]!["volumes"]!).Single()!["persistentVolumeClaim"]!["claimName"]!.GetValue<string>().Should().Be("registry-claim");
    }
}
