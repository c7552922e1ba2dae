using System.Text.RegularExpressions;

namespace StateForge.Lab.Faults;

/// <summary>
/// The host run lock (/run/lock/stateforge): a second run against a host that a first one is
/// applying to fails there, naming who holds the lock and since when; the lock is gone when the
/// first run ends; with --lock-timeout the second waits for it instead; a lock left by a killed
/// run is stale and taken over, with a warning.
/// </summary>
public sealed partial class HostLockTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly FaultWorkspace work = new();
    private LabHosts lab = null!;

    public async Task InitializeAsync() => lab = await LabHosts.StartAsync(2, new LabOptions(Prefix: "flock"));

    public async Task DisposeAsync()
    {
        await lab.DisposeAsync();
        work.Dispose();
    }

    private const string First = """
        - name: first run
          hosts: lab
          gather_facts: false
          tasks:
            - name: long command
              command: sh -c 'touch /srv/started; sleep 6'
            - name: first file
              copy:
                content: "first\n"
                dest: /srv/first
        """;

    private const string Second = """
        - name: second run
          hosts: lab
          gather_facts: false
          tasks:
            - name: second file
              copy:
                content: "second\n"
                dest: /srv/second
        """;

    [Fact]
    public async Task TwoRunsAtOnce_TheSecondFailsOnTheLock_NamingHolderAndSince_AndTheLockIsGoneAfterTheFirst()
    {
        var first = work.Write("first.yml", First);
        var second = work.Write("second.yml", Second);
        using var holder = await StartFirstRunAsync(first);

        var blocked = await StateForgeRunner.ApplyAsync(lab, second).Within(Bound, "the second run");
        output.WriteLine(blocked.ToString());

        blocked.ExitCode.Should().Be(1, blocked.ToString());
        var report = blocked.RequireReport();
        foreach (var h in lab.Hosts)
        {
            var locked = report.On(h.Name).Should().ContainSingle("nothing runs on a locked host").Subject;
            locked.Task.Should().Be("Lock host");
            locked.Status.Should().Be("failed");
            locked.Message.Should().Contain("another StateForge run is applying to this host")
                .And.Contain($"pid {holder.Id}", "the message names the holding process")
                .And.Contain("/run/lock/stateforge");
            SinceUtc().Match(locked.Message!).Success.Should().BeTrue($"the message says since when: {locked.Message}");
            File.Exists(lab.SrvPath(h, "second")).Should().BeFalse();
        }

        var done = await holder.WaitAsync(Bound);
        output.WriteLine(done.ToString());
        done.ExitCode.Should().Be(0, done.ToString());
        foreach (var h in lab.Hosts)
        {
            (await lab.ShAsync(h, "ls -A /run/lock")).Should().NotContain("stateforge", $"the first run released {h.Name}'s lock");
        }

        var after = await StateForgeRunner.ApplyAsync(lab, second).Within(Bound, "the second run, again");
        after.ExitCode.Should().Be(0, after.ToString());
        after.Out.Should().NotContain("stale lock");
    }

    [Fact]
    public async Task WithALockTimeout_TheSecondRunWaitsForTheFirst_ThenApplies_OrFailsWhenItRunsOut()
    {
        var first = work.Write("first.yml", First);
        var second = work.Write("second.yml", Second);
        using var holder = await StartFirstRunAsync(first);

        // Too short a wait: the host still fails, and says it waited.
        var impatient = await StateForgeRunner.ApplyAsync(lab, second, "--lock-timeout", "1").Within(Bound, "the impatient run");
        impatient.ExitCode.Should().Be(1, impatient.ToString());
        foreach (var h in lab.Hosts)
        {
            impatient.RequireReport().On(h.Name).Should().ContainSingle().Which.Message.Should()
                .Contain($"pid {holder.Id}").And.Contain("still held after waiting 1 s (--lock-timeout)");
        }

        holder.HasExited.Should().BeFalse("the first run sleeps 6 s; the impatient run gave up after 1");
        var patient = await StateForgeRunner.ApplyAsync(lab, second, "--lock-timeout", "30").Within(Bound, "the patient run");
        output.WriteLine(patient.ToString());
        (await holder.WaitAsync(Bound)).ExitCode.Should().Be(0);
        patient.ExitCode.Should().Be(0, patient.ToString());
        foreach (var h in lab.Hosts)
        {
            patient.RequireReport().Outline(h.Name).Should().Equal("second file=changed");
            // The first run writes /srv/first as its last task, before it releases the lock.
            File.GetLastWriteTimeUtc(lab.SrvPath(h, "second")).Should().BeOnOrAfter(File.GetLastWriteTimeUtc(lab.SrvPath(h, "first")),
                await lab.ShAsync(h, "stat -c '%n %y' /srv/first /srv/second"));
            (await lab.ShAsync(h, "ls -A /run/lock")).Should().NotContain("stateforge");
        }
    }

    [Fact]
    public async Task StaleLock_NamingADeadProcess_IsTakenOverWithAWarning_AndReleased()
    {
        var playbook = work.Write("second.yml", Second);
        var since = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
        foreach (var h in lab.Hosts)
        {
            // As a killed run leaves it: run id, keeper pid (gone), since, holder.
            await lab.ShAsync(h, $"mkdir /run/lock/stateforge && printf '%s\\n' deadbeef 4194000 {since} 'ghost@elsewhere pid 4242' >/run/lock/stateforge/owner");
        }

        var result = await StateForgeRunner.ApplyAsync(lab, playbook).Within(Bound, "the apply");
        output.WriteLine(result.ToString());

        result.ExitCode.Should().Be(0, result.ToString());
        foreach (var h in lab.Hosts)
        {
            result.Out.Should().Contain($"{h.Name}: took over a stale lock left by ghost@elsewhere pid 4242 (since {DateTimeOffset.FromUnixTimeSeconds(since):u})");
            result.RequireReport().Outline(h.Name).Should().Equal("second file=changed");
            (await lab.ShAsync(h, "ls -A /run/lock")).Should().NotContain("stateforge");
        }
    }

    [Fact]
    public async Task LockOfAKilledRun_IsStaleOnceItsConnectionIsGone_AndTheNextRunTakesItOver()
    {
        var first = work.Write("first.yml", First);
        var second = work.Write("second.yml", Second);
        var killed = await StartFirstRunAsync(first);
        var pid = killed.Id;
        killed.Dispose(); // SIGKILL, by pid: no wind-down, no release
        foreach (var h in lab.Hosts)
        {
            (await lab.ShAsync(h, "cat /run/lock/stateforge/owner")).Should().Contain($"pid {pid}", "the killed run's lock is left behind");
        }

        var result = await StateForgeRunner.ApplyAsync(lab, second).Within(Bound, "the next run");
        output.WriteLine(result.ToString());

        result.ExitCode.Should().Be(0, result.ToString());
        foreach (var h in lab.Hosts)
        {
            result.Out.Should().Contain($"{h.Name}: took over a stale lock left by").And.Contain($"pid {pid}");
            (await lab.ShAsync(h, "ls -A /run/lock")).Should().NotContain("stateforge");
        }
    }

    /// <summary>Starts the first run and returns once its long command runs on every host (it holds their locks).</summary>
    private async Task<StateForgeProcess> StartFirstRunAsync(string playbook)
    {
        var run = StateForgeRunner.Start(lab, "apply", playbook);
        await FaultKit.WaitUntilAsync(() => lab.Hosts.All(h => File.Exists(lab.SrvPath(h, "started"))) || run.HasExited, Bound, "the first run's command to start");
        await run.EnsureRunningAsync("its command started");
        return run;
    }

    [GeneratedRegex(@"since \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z")]
    private static partial Regex SinceUtc();
}
