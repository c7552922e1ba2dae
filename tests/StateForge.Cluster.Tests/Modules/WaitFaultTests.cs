using StateForge.Cluster.Tests.Support;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Hosting;
using StateForge.Modules.Cluster;

namespace StateForge.Cluster.Tests.Modules;

/// <summary>
/// Waits list the object and then watch it; lists and watches that fail, even after their own retries, are
/// waited out until the deadline (the watch's own drops and 410s: <see cref="WatchResumeTests"/>).
/// </summary>
public sealed class WaitFaultTests
{
    private const string ClaimPath = TestObjects.ClaimPath;
    private const string Claims = TestObjects.Claims;
    private const string Volume = TestObjects.Volume;
    private static readonly PvcParams Claim = TestObjects.WaitedClaim;

    [Fact]
    public async Task PvcWait_ReadsFailAndConnectionsDrop_WhileWaiting_TheWaitGoesOnUntilBound()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.RetryPolicy = ClusterLab.FastRetries with { Attempts = 2 };
        var module = new PvcModule();
        var context = lab.Context();
        var planned = await module.PlanAsync(Claim, context, CancellationToken.None);
        // Only the wait reads the claims from here on: one whole list fails, then one more list request; then two watch requests.
        lab.Server.Faults.Enqueue(new Fault("GET", Claims, 503, Count: 3) { Watch = false });
        lab.Server.Faults.Enqueue(Fault.ConnectionReset("GET", Claims, count: 2) with { Watch = true });

        var applying = module.ApplyAsync(Claim, planned, context, CancellationToken.None).AsTask();
        await Until(() => lab.Server.Faults.Pending == 0);
        applying.IsCompleted.Should().BeFalse("the claim cannot be bound before a volume exists");
        await lab.Server.SeedAsync(Volume);
        var plan = await applying;

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["phase"].Should().Be("Bound");
        plan.Result["volume_name"].Should().Be("db-volume");
        lab.Answers("GET", ClaimPath).Should().Equal(["404"], "the plan read it once; the wait lists and watches");
        lab.Answers("GET", Claims).Should().StartWith(["503", "503", "503", "200", "reset", "reset"]);
        lab.Server.Faults.WatchRequests.Should().HaveCount(3).And.OnlyContain(w => w.ResourceVersion != null, "each resumes from the list's resourceVersion");
    }

    [Fact]
    public async Task PvcWait_ServerStillFailingAtTheDeadline_FailsWithThatError()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.RetryPolicy = ClusterLab.FastRetries with { Attempts = 2 };
        var module = new PvcModule();
        var context = lab.Context();
        var parameters = Claim with { WaitTimeout = 1 };
        var planned = await module.PlanAsync(parameters, context, CancellationToken.None);
        lab.Server.Faults.Enqueue(new Fault("GET", Claims, 503, Count: 10_000) { Message = "etcd is unavailable" });

        var plan = await module.ApplyAsync(parameters, planned, context, CancellationToken.None);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("PersistentVolumeClaim \"default/db\": ServiceUnavailable: etcd is unavailable (GET: gave up after 2 attempts) (while waiting 1s for it)");
    }

    [Fact]
    public async Task RolloutWait_ReadsOfTheReplicationControllerFail_TheWaitGoesOn()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true });
        lab.RetryPolicy = ClusterLab.FastRetries with { Attempts = 2 };
        const string rc = "/api/v1/namespaces/default/replicationcontrollers/docker-registry-2";
        lab.Server.Faults.Enqueue(new Fault("GET", rc, 502, Count: 3));
        lab.Server.Faults.Enqueue(Fault.ConnectionReset("GET", rc));

        var plan = await lab.RunAsync(new VolumeModule(), TestObjects.RegistrySwap with { Wait = true, WaitTimeout = 60 });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["rollout"].Should().Be("docker-registry-2");
        lab.Answers("GET", rc).Should().Equal("502", "502", "502", "reset", "200");
    }

    private static async Task Until(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, limit.Token);
        }
    }
}
