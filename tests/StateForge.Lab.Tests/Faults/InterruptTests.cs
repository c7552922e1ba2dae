namespace StateForge.Lab.Faults;

/// <summary>
/// Ctrl-C in the middle of an apply: no task starts after it, the commands in flight finish or
/// are abandoned, a partial recap is printed, the exit code is 130, the hosts' locks are released
/// (or detectably stale where a host cannot be reached), and a rerun converges. The tests share
/// one lab: they touch different files and leave no lock behind.
/// </summary>
public sealed class InterruptTests(TwoHostLab fixture, ITestOutputHelper output) : IClassFixture<TwoHostLab>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly FaultWorkspace work = new();
    private readonly LabHosts lab = fixture.Lab;

    public void Dispose() => work.Dispose();

    /// <summary>A copy, a command of <paramref name="seconds"/> s (marks /srv/started when it begins), a copy.</summary>
    internal static string Playbook(int seconds = 5) => $$"""
        - name: interrupted
          hosts: lab
          gather_facts: false
          tasks:
            - name: first file
              copy:
                content: "first\n"
                dest: /srv/first
            - name: long command
              command: sh -c 'touch /srv/started; sleep {{seconds}}; touch /srv/slept'
              args:
                creates: /srv/slept
            - name: last file
              copy:
                content: "last\n"
                dest: /srv/last
        """;

    [Fact]
    public async Task CtrlC_DuringALongTask_NoNewTask_PartialRecap_Exit130_LocksReleased_RerunConverges()
    {
        var playbook = work.Write("interrupted.yml", Playbook());
        using var ctrlC = new CancellationTokenSource();
        var run = StateForgeRunner.RunAsync(lab, "apply", playbook, cancellationToken: ctrlC.Token);
        await FaultKit.WaitUntilAsync(() => lab.Hosts.All(h => File.Exists(lab.SrvPath(h, "started"))) || run.IsCompleted, Bound, "the long command to start");
        var cancelledAt = System.Diagnostics.Stopwatch.StartNew();
        await ctrlC.CancelAsync();
        var result = await run.Within(Bound, "the interrupted apply");
        output.WriteLine($"returned {cancelledAt.Elapsed.TotalSeconds:0.0} s after the cancel\n{result}");

        result.ExitCode.Should().Be(130, result.ToString());
        var report = result.RequireReport();
        report.Interrupted.Should().BeTrue();
        result.Out.Should().Contain("Interrupted").And.Contain("PLAY RECAP");
        foreach (var h in lab.Hosts)
        {
            report.Outline(h.Name).Should().Equal(["first file=changed"], "the long command never finished and nothing started after it\n" + result);
            File.Exists(lab.SrvPath(h, "last")).Should().BeFalse($"no task may start on {h.Name} after Ctrl-C");
            (await LockOf(h)).Should().BeEmpty($"the interrupted run releases {h.Name}'s lock");
        }

        var rerun = await StateForgeRunner.ApplyAsync(lab, playbook).Within(Bound, "the rerun");
        output.WriteLine(rerun.ToString());
        rerun.ExitCode.Should().Be(0, rerun.ToString());
        foreach (var h in lab.Hosts)
        {
            var outline = rerun.RequireReport().Outline(h.Name);
            outline.Should().HaveCount(3).And.StartWith("first file=ok").And.EndWith("last file=changed");
            File.Exists(lab.SrvPath(h, "last")).Should().BeTrue();
        }
    }

    [Fact]
    public async Task CtrlC_InsideABatchOfDeferredTasks_TheFinishedOnesAreReported_NoLaterOneRuns()
    {
        var playbook = work.Write("batch.yml", """
            - name: one batch of changes
              hosts: lab
              gather_facts: false
              tasks:
                - name: one
                  copy:
                    content: "one\n"
                    dest: /srv/one
                - name: two
                  copy:
                    content: "two\n"
                    dest: /srv/two
                    validate: sh -c 'touch /srv/two-started; sleep 4' %s
                - name: three
                  copy:
                    content: "three\n"
                    dest: /srv/three
            """);
        using var ctrlC = new CancellationTokenSource();
        var run = StateForgeRunner.RunAsync(lab, "apply", playbook, cancellationToken: ctrlC.Token);
        await FaultKit.WaitUntilAsync(() => lab.Hosts.All(h => File.Exists(lab.SrvPath(h, "two-started"))) || run.IsCompleted, Bound, "step two to start");
        await ctrlC.CancelAsync();
        var result = await run.Within(Bound, "the interrupted apply");
        output.WriteLine(result.ToString());

        result.ExitCode.Should().Be(130, result.ToString());
        var report = result.RequireReport();
        foreach (var h in lab.Hosts)
        {
            report.Outline(h.Name).Should().Equal(["one=changed"], "step one finished before Ctrl-C: the recap says so\n" + result);
            File.Exists(lab.SrvPath(h, "one")).Should().BeTrue();
            File.Exists(lab.SrvPath(h, "three")).Should().BeFalse($"no step may start on {h.Name} after Ctrl-C");
            (await LockOf(h)).Should().BeEmpty();
        }
    }

    private Task<string> LockOf(LabHost host) => lab.ShAsync(host, "cat /run/lock/stateforge/owner 2>/dev/null || true");
}
