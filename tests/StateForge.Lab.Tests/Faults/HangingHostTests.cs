namespace StateForge.Lab.Faults;

/// <summary>
/// A host that stops answering (its link to the bridge down: packets vanish, nothing is refused)
/// is bounded by the timeouts: the connect timeout (--timeout) before a connection exists, the
/// per-command timeout (--command-timeout) once one does. That host is UNREACHABLE, the others
/// finish, the run exits 3 in bounded time — never a stuck run.
/// </summary>
public sealed class HangingHostTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);
    private readonly FaultWorkspace work = new();
    private LabHosts lab = null!;

    public async Task InitializeAsync() => lab = await LabHosts.StartAsync(2, new LabOptions(Prefix: "fhang"));

    public async Task DisposeAsync()
    {
        await lab.DisposeAsync();
        work.Dispose();
    }

    private LabHost Victim => lab.Hosts[1];

    private LabHost Other => lab.Hosts[0];

    [Fact]
    public async Task LinkDownBeforeTheRun_ConnectTimesOut_HostUnreachable_OthersFine_Exit3()
    {
        var playbook = work.Write("light.yml", """
            - name: light
              hosts: lab
              gather_facts: false
              tasks:
                - name: marker
                  copy:
                    content: "here\n"
                    dest: /srv/marker
            """);
        await lab.LinkDownAsync(Victim);
        StateForgeRun result;
        try
        {
            result = await StateForgeRunner.ApplyAsync(lab, playbook, "--timeout", "4").Within(Bound, "the apply");
        }
        finally
        {
            await lab.LinkUpAsync(Victim);
        }

        output.WriteLine(result.ToString());
        result.ExitCode.Should().Be(3, result.ToString());
        var report = result.RequireReport();
        var unreachable = report.On(Victim.Name).Should().ContainSingle().Subject;
        unreachable.Status.Should().Be("unreachable");
        unreachable.Message.Should().StartWith("timeout:").And.Contain("within 4 s");
        report.Outline(Other.Name).Should().Equal("marker=changed");
        result.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "a 4 s connect timeout bounds the run");
    }

    [Fact]
    public async Task CommandHangs_PerCommandTimeout_HostUnreachableOnThatTask_OthersFine_Exit3()
    {
        var playbook = work.Write("hang.yml", $$"""
            - name: a command hangs
              hosts: lab
              gather_facts: false
              tasks:
                - name: hang
                  command: sleep 30
                  when: inventory_hostname == '{{Victim.Name}}'
                - name: after
                  copy:
                    content: "after\n"
                    dest: /srv/after
            """);

        var result = await StateForgeRunner.ApplyAsync(lab, playbook, "--command-timeout", "3").Within(Bound, "the apply");

        output.WriteLine(result.ToString());
        result.ExitCode.Should().Be(3, result.ToString());
        var report = result.RequireReport();
        report.Outline(Victim.Name).Should().Equal(["hang=unreachable"], result.ToString());
        report.Find(Victim.Name, "hang")!.Message.Should().Contain("timed out after 3 s");
        report.Outline(Other.Name).Should().Equal("hang=skipped", "after=changed");
        File.Exists(lab.SrvPath(Victim, "after")).Should().BeFalse();
        result.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(25), "the 3 s command timeout bounds the run, not the 30 s sleep");
    }

    [Fact]
    public async Task LinkDownWhileACommandRuns_PerCommandTimeout_HostUnreachable_OthersFine_Exit3()
    {
        var playbook = work.Write("mid.yml", """
            - name: the link goes down
              hosts: lab
              gather_facts: false
              tasks:
                - name: wait
                  command: sh -c 'touch /srv/started; sleep 4'
                - name: after
                  copy:
                    content: "after\n"
                    dest: /srv/after
            """);

        var run = StateForgeRunner.ApplyAsync(lab, playbook, "--command-timeout", "8");
        await FaultKit.WaitUntilAsync(() => File.Exists(lab.SrvPath(Victim, "started")) || run.IsCompleted, Bound, "the command to start");
        await lab.LinkDownAsync(Victim);
        StateForgeRun result;
        try
        {
            result = await run.Within(Bound, "the apply");
        }
        finally
        {
            await lab.LinkUpAsync(Victim);
        }

        output.WriteLine(result.ToString());
        result.ExitCode.Should().Be(3, result.ToString());
        var report = result.RequireReport();
        report.Outline(Victim.Name).Should().Equal(["wait=unreachable"], result.ToString());
        report.Find(Victim.Name, "wait")!.Message.Should().Contain("timed out");
        report.Outline(Other.Name).Should().Equal("wait=changed", "after=changed");
        result.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));

        // Back on the network, the host converges. Until the cut-off connection's end reaches the
        // host, its sshd session (the lock's keeper) lives on and the lock is rightly held; after
        // that it is stale and taken over.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var rerun = await StateForgeRunner.ApplyAsync(lab, playbook, "--command-timeout", "8").Within(Bound, "the rerun");
            output.WriteLine(rerun.ToString());
            if (rerun.ExitCode == 0)
            {
                rerun.RequireReport().Outline(Victim.Name).Should().Equal("wait=changed", "after=changed");
                break;
            }

            var locked = rerun.RequireReport().Find(Victim.Name, "Lock host");
            locked.Should().NotBeNull($"a rerun may only fail on the lock of the cut-off run\n{rerun}");
            locked!.Message.Should().Contain("another StateForge run is applying to this host");
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(40), "the cut-off run's lock must become stale once the link is back");
            await Task.Delay(2000);
        }
    }
}
