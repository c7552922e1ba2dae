using System.Globalization;
using k8s;
using k8s.Models;
using StateForge.Cluster.Tests.Support;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Hosting;
using StateForge.Modules.Cluster;
using StateForge.Planning;

namespace StateForge.Cluster.Tests.Modules;

/// <summary>
/// Issue 8, "a watch that drops is resumed": a wait lists the object, then watches it from the list's
/// resourceVersion; a stream that ends is resumed from the last resourceVersion seen (an event's or a bookmark's),
/// a 410 Gone lists again, and a server that refuses to watch is polled. The claim is bound only after the test has seen the watch it
/// means, so each step is ordered by the server's own request record, not by timing.
/// </summary>
public sealed class WatchResumeTests
{
    private const string ClaimPath = TestObjects.ClaimPath;
    private const string Claims = TestObjects.Claims;
    private const string Volume = TestObjects.Volume;

    private static readonly PvcParams Claim = TestObjects.WaitedClaim;

    [Fact]
    public async Task PvcWait_WatchDroppedAfterAnEvent_ResumesFromThatEventsResourceVersion_AndEndsBound()
    {
        await using var lab = await ClusterLab.StartAsync();
        var applying = await StartWaitAsync(lab, Fault.DropWatch(Claims, events: 1));
        await UntilWatchesAsync(lab, 1, applying);
        var touched = await TouchClaimAsync(lab);
        await UntilWatchesAsync(lab, 2, applying);
        await lab.Server.SeedAsync(Volume);
        var plan = await applying;

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["phase"].Should().Be("Bound");
        var watches = ClaimWatches(lab);
        watches[1].ResourceVersion.Should().Be(touched, "the second watch resumes from the last event the first one delivered");
        Lists(lab).Should().Be(1, "a resumed watch needs no new list");
    }

    [Fact]
    public async Task PvcWait_WatchDroppedAfterABookmark_ResumesFromTheBookmarksResourceVersion_AndEndsBound()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        var applying = await StartWaitAsync(lab, Fault.DropWatchAfterNewBookmark(Claims));
        await UntilWatchesAsync(lab, 1, applying);
        var unseen = await CreateClaimTheWaitFiltersOutAsync(lab);
        await UntilWatchesAsync(lab, 2, applying);
        await lab.Server.SeedAsync(Volume);
        var plan = await applying;

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["phase"].Should().Be("Bound");
        var watches = ClaimWatches(lab);
        watches[0].ResourceVersion.Should().NotBe(unseen, "the first watch starts from the list, before the other claim");
        watches[1].ResourceVersion.Should().Be(unseen,
            "the first watch's last word was a bookmark with the other claim's resourceVersion, newer than anything its events told");
        Lists(lab).Should().Be(1, "a resumed watch needs no new list");
    }

    [Fact]
    public async Task PvcWait_QuietWatchesClosedByTheServer_AreResumedFromTheListsResourceVersion()
    {
        await using var lab = await ClusterLab.StartAsync();
        var applying = await StartWaitAsync(lab, new Fault("GET", Claims, 0, Count: 2) { Watch = true, CloseWatchAfter = TimeSpan.FromMilliseconds(50) });
        await UntilWatchesAsync(lab, 3, applying);
        await lab.Server.SeedAsync(Volume);
        var plan = await applying;

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["phase"].Should().Be("Bound");
        var versions = ClaimWatches(lab).Select(w => w.ResourceVersion).ToList();
        versions.Should().HaveCount(3).And.OnlyContain(v => v != null && v == versions[0], "no event came, so each resumes where the list left off");
        Lists(lab).Should().Be(1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PvcWait_ResumedWatchAnswers410Gone_ListsAgain_AndEndsBound(bool asEvent)
    {
        await using var lab = await ClusterLab.StartAsync();
        var applying = await StartWaitAsync(lab, Fault.DropWatch(Claims, events: 1), Fault.WatchGone(Claims, asEvent));
        await UntilWatchesAsync(lab, 1, applying);
        var touched = await TouchClaimAsync(lab);
        await UntilWatchesAsync(lab, 3, applying);
        await lab.Server.SeedAsync(Volume);
        var plan = await applying;

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["phase"].Should().Be("Bound");
        var watches = ClaimWatches(lab);
        watches[1].ResourceVersion.Should().Be(touched);
        long.Parse(watches[2].ResourceVersion!, CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(long.Parse(touched, CultureInfo.InvariantCulture),
            "after 410 the watch starts from a new list's resourceVersion");
        Lists(lab).Should().Be(2, "410 Gone means events were lost: the object is listed again");
    }

    [Fact]
    public async Task PvcWait_ServerRefusesToWatch_FallsBackToPolling_AndEndsBound()
    {
        await using var lab = await ClusterLab.StartAsync();
        var applying = await StartWaitAsync(lab, new Fault("GET", Claims, 405, Count: 100) { Watch = true, Reason = "MethodNotAllowed", Message = "watch is not supported" });
        await UntilAsync(() => lab.Answers("GET", ClaimPath).Count >= 2, applying);
        applying.IsCompleted.Should().BeFalse("the claim cannot be bound before a volume exists");
        await lab.Server.SeedAsync(Volume);
        var plan = await applying;

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["phase"].Should().Be("Bound");
        ClaimWatches(lab).Should().HaveCount(1, "a refused watch is not asked for again");
        lab.Answers("GET", ClaimPath).Should().StartWith("404", "the plan's read").And.EndWith("200").And.HaveCountGreaterThan(2, "then the wait polls the claim");
    }

    [Fact]
    public async Task PvcWait_TwoWaitsOnAServerThatRefusesToWatch_TheSecondPollsAtOnce()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.Server.SeedAsync(Volume);
        lab.Server.Faults.Enqueue(new Fault("GET", Claims, 405, Count: 100) { Watch = true });

        var first = await lab.RunAsync(new PvcModule(), Claim);
        var second = await lab.RunAsync(new PvcModule(), Claim with { Name = "logs", Request = "1Mi", WaitTimeout = 1 });

        first.Result["phase"].Should().Be("Bound");
        second.Failed.Should().BeTrue("no volume is left for the second claim");
        lab.Server.Faults.WatchRequests.Should().HaveCount(1, "the refusal is remembered for the type");
    }

    [Fact]
    public async Task PvcWait_UserMayNotWatch_PollsWithGet_AndEndsBound()
    {
        await using var lab = await ClusterLab.StartAsync();
        var applying = await StartWaitAsync(lab, new Fault("GET", Claims, 403, Count: 100) { Watch = true, Message = "cannot watch resource \"persistentvolumeclaims\"" });
        await UntilAsync(() => lab.Answers("GET", ClaimPath).Count >= 2, applying);
        await lab.Server.SeedAsync(Volume);
        var plan = await applying;

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["phase"].Should().Be("Bound");
        ClaimWatches(lab).Should().HaveCount(1);
    }

    private static List<WatchRequest> ClaimWatches(ClusterLab lab) => [.. lab.Server.Faults.WatchRequests.Where(w => w.Path == Claims)];

    private static int Lists(ClusterLab lab)
    {
        lock (lab.Requests)
        {
            return lab.Requests.Count(r => r.StartsWith($"GET {Claims}?", StringComparison.Ordinal) && !r.Contains("watch=true", StringComparison.Ordinal));
        }
    }

    /// <summary>Changes the claim (a label) from another client, so that a watch sees an event; returns the claim's new resourceVersion.</summary>
    private static async Task<string> TouchClaimAsync(ClusterLab lab)
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(lab.Kubeconfig));
        var patch = new V1Patch("""{"metadata":{"labels":{"touched":"yes"}}}""", V1Patch.PatchType.MergePatch);
        var claim = await client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, "db", "default");
        return claim.Metadata.ResourceVersion;
    }

    /// <summary>
    /// Creates a claim the wait's watch (by name, for "db") filters out and no volume can bind; returns its resourceVersion,
    /// which from then on is the server's newest.
    /// </summary>
    private static async Task<string> CreateClaimTheWaitFiltersOutAsync(ClusterLab lab)
    {
        var created = await lab.Server.SeedAsync("""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: logs
              namespace: default
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 5Gi
            """);
        return created.Single()["metadata"]!["resourceVersion"]!.GetValue<string>();
    }

    private static Task UntilWatchesAsync(ClusterLab lab, int count, Task applying) =>
        UntilAsync(() => ClaimWatches(lab).Count >= count, applying);

    private static async Task UntilAsync(Func<bool> condition, Task applying)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (applying.IsCompleted)
            {
                await applying;
                throw new InvalidOperationException("the wait ended before the step the test waits for");
            }

            await Task.Delay(20, limit.Token);
        }
    }

    /// <summary>Plans the claim (before the faults, which must meet the wait, not the plan), queues the faults, and starts applying it.</summary>
    private static async Task<Task<TaskPlan>> StartWaitAsync(ClusterLab lab, params Fault[] faults)
    {
        var module = new PvcModule();
        var context = lab.Context();
        var planned = await module.PlanAsync(Claim, context, CancellationToken.None);
        foreach (var fault in faults)
        {
            lab.Server.Faults.Enqueue(fault);
        }

        return module.ApplyAsync(Claim, planned, context, CancellationToken.None).AsTask();
    }
}
