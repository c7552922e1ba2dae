namespace StateForge.Lab.Faults;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM to the real `stateforge` process while one host hangs, so that
/// winding down takes a while: the process still prints the partial recap, writes the report,
/// releases the reachable hosts' locks and exits 130; the hung host's lock is stale once the
/// link is back, and a rerun converges.
/// </summary>
public sealed class SignalTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly FaultWorkspace work = new();
    private LabHosts lab = null!;

    public async Task InitializeAsync() => lab = await LabHosts.StartAsync(2, new LabOptions(Prefix: "fsig"));

    public async Task DisposeAsync()
    {
        await lab.DisposeAsync();
        work.Dispose();
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Signal_ToTheRealProcess_WhileAHostHangs_PartialRecapAndReport_Exit130_LockReleasedOrStale(string signal)
    {
        var playbook = work.Write("signal.yml", InterruptTests.Playbook(seconds: 8));
        var hung = lab.Hosts[1];
        var healthy = lab.Hosts[0];
        // --timeout 6 also bounds opening a channel on the hung connection (the lock release), while
        // leaving a loaded machine time to log in.
        using var process = StateForgeRunner.Start(lab, "apply", playbook, ["--timeout", "6"]);
        await FaultKit.WaitUntilAsync(() => lab.Hosts.All(h => File.Exists(lab.SrvPath(h, "started"))) || process.HasExited, Bound, "the long command to start");
        await process.EnsureRunningAsync("its command started");

        // One host stops answering, so winding down (abandoning its command, releasing its lock) takes a while.
        await lab.LinkDownAsync(hung);
        StateForgeRun result;
        try
        {
            await process.SignalAsync(signal);
            result = await process.WaitAsync(Bound);
        }
        finally
        {
            await lab.LinkUpAsync(hung);
        }

        output.WriteLine(result.ToString());
        result.ExitCode.Should().Be(130, result.ToString());
        result.Out.Should().Contain("Interrupted").And.Contain("PLAY RECAP", "the partial recap is printed before the process exits");
        var report = result.RequireReport();
        report.Interrupted.Should().BeTrue();
        foreach (var h in lab.Hosts)
        {
            report.Outline(h.Name).Should().Equal(["first file=changed"], result.ToString());
            File.Exists(lab.SrvPath(h, "last")).Should().BeFalse();
        }

        (await LockOf(healthy)).Should().BeEmpty("the reachable host's lock is released");

        // The hung host's lock is left, but stale as soon as the cut-off connection's end reaches it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var rerun = await StateForgeRunner.ApplyAsync(lab, playbook).Within(Bound, "the rerun");
            output.WriteLine(rerun.ToString());
            if (rerun.ExitCode == 0)
            {
                rerun.Out.Should().Contain($"{hung.Name}: took over a stale lock");
                rerun.RequireReport().Outline(hung.Name).Should().EndWith("last file=changed");
                break;
            }

            var locked = rerun.RequireReport().Find(hung.Name, "Lock host");
            locked.Should().NotBeNull($"a rerun may only fail on the lock of the interrupted run\n{rerun}");
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(40), "the interrupted run's lock must become stale once the link is back");
            await Task.Delay(2000);
        }
    }

    private Task<string> LockOf(LabHost host) => lab.ShAsync(host, "cat /run/lock/stateforge/owner 2>/dev/null || true");
}
