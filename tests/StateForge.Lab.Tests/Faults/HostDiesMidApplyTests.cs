using System.Security.Cryptography;

namespace StateForge.Lab.Faults;

/// <summary>
/// A host whose SSH dies in the middle of an apply (its sshd stopped and every open session cut):
/// the other hosts finish, that host is UNREACHABLE on the task it was on, nothing on it is
/// half-written, and a rerun once it is back makes only the changes that remain.
/// </summary>
public sealed class HostDiesMidApplyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly FaultWorkspace work = new();
    private LabHosts lab = null!;

    public async Task InitializeAsync() => lab = await LabHosts.StartAsync(3, new LabOptions(Prefix: "fdie"));

    public async Task DisposeAsync()
    {
        await lab.DisposeAsync();
        work.Dispose();
    }

    private const string Playbook = """
        - name: a host dies
          hosts: lab
          gather_facts: false
          tasks:
            - name: first file
              copy:
                content: "first\n"
                dest: /srv/faults/first.txt
            - name: long command
              command: sh -c 'touch /srv/faults/started; sleep 5; touch /srv/faults/slept'
              args:
                creates: /srv/faults/slept
            - name: big file
              copy:
                src: big.bin
                dest: /srv/faults/big.bin
            - name: last file
              copy:
                content: "last\n"
                dest: /srv/faults/last.txt
        """;

    [Fact]
    public async Task HostDies_DuringATask_OthersFinish_ItIsUnreachableThere_AndARerunMakesOnlyTheRest()
    {
        var victim = lab.Hosts[1];
        var others = lab.Hosts.Where(h => h != victim).ToList();
        var big = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        await File.WriteAllBytesAsync(Path.Combine(work.Directory, "big.bin"), big);
        var playbook = work.Write("dies.yml", Playbook);
        foreach (var h in lab.Hosts)
        {
            Directory.CreateDirectory(lab.SrvPath(h, "faults"));
            await File.WriteAllTextAsync(lab.SrvPath(h, "faults/big.bin"), "old\n");
        }

        var run = StateForgeRunner.ApplyAsync(lab, playbook);
        await FaultKit.WaitUntilAsync(() => File.Exists(lab.SrvPath(victim, "faults/started")) || run.IsCompleted, Bound, "the long command to start");
        await lab.KillSshAsync(victim);
        var result = await run.Within(Bound, "the apply");

        output.WriteLine(result.ToString());
        var report = result.RequireReport();
        result.ExitCode.Should().Be(3, result.ToString());
        report.Outline(victim.Name).Should().Equal(["first file=changed", "long command=unreachable"], result.ToString());
        report.Find(victim.Name, "long command")!.Message.Should().NotBeNullOrEmpty();
        report.Hosts[victim.Name].Unreachable.Should().Be(1);
        foreach (var h in others)
        {
            report.Outline(h.Name).Should().Equal(["first file=changed", "long command=changed", "big file=changed", "last file=changed"], result.ToString());
            (await File.ReadAllBytesAsync(lab.SrvPath(h, "faults/big.bin"))).Should().Equal(big);
        }

        // Nothing after the task it was on ran there; the command itself was left to finish.
        await FaultKit.WaitUntilAsync(() => File.Exists(lab.SrvPath(victim, "faults/slept")), Bound, "the abandoned command to finish");
        (await File.ReadAllTextAsync(lab.SrvPath(victim, "faults/big.bin"))).Should().Be("old\n");
        File.Exists(lab.SrvPath(victim, "faults/last.txt")).Should().BeFalse();
        Directory.GetFiles(lab.SrvPath(victim, "faults"), ".*").Should().BeEmpty("no temp file may be left beside the targets");

        await NoBatchLeftoversAsync(victim);
        await lab.StartSshdAsync(victim);
        var rerun = await StateForgeRunner.ApplyAsync(lab, playbook).Within(Bound, "the rerun");
        output.WriteLine(rerun.ToString());
        var again = rerun.RequireReport();
        rerun.ExitCode.Should().Be(0, rerun.ToString());
        rerun.Out.Should().Contain($"{victim.Name}: took over a stale lock", "the dead run's lock is detected as stale");
        again.Outline(victim.Name).Should().Equal(["first file=ok", "long command=ok", "big file=changed", "last file=changed"], rerun.ToString());
        foreach (var h in others)
        {
            again.Outline(h.Name).Should().Equal(["first file=ok", "long command=ok", "big file=ok", "last file=ok"], rerun.ToString());
        }

        (await File.ReadAllBytesAsync(lab.SrvPath(victim, "faults/big.bin"))).Should().Equal(big);
        Directory.GetFiles(lab.SrvPath(victim, "faults"), ".*").Should().BeEmpty();
        (await lab.ShAsync(victim, "ls -d /run/lock/stateforge 2>/dev/null || true")).Should().BeEmpty("the rerun released the host's lock");
    }

    [Fact]
    public async Task HostDies_WhileALargeFileIsWritten_TheTargetIsOldOrNewNeverPartial_AndNoTempFileStays()
    {
        var victim = lab.Hosts[0];
        var big = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        var old = "old content\n"u8.ToArray();
        await File.WriteAllBytesAsync(Path.Combine(work.Directory, "big.bin"), big);
        var playbook = work.Write("big.yml", """
            - name: a large write
              hosts: lab
              gather_facts: false
              tasks:
                - name: big file
                  copy:
                    src: big.bin
                    dest: /srv/faults/big.bin
                    # Holds the full temp file for a while before the rename: the host dies in there.
                    validate: sh -c 'sleep 5' %s
            """);
        var dir = lab.SrvPath(victim, "faults");
        var target = Path.Combine(dir, "big.bin");
        foreach (var h in lab.Hosts)
        {
            Directory.CreateDirectory(lab.SrvPath(h, "faults"));
            await File.WriteAllBytesAsync(lab.SrvPath(h, "faults/big.bin"), old);
        }

        // A reader on the host's disk the whole time: every read is the old file or the new one.
        var seen = new List<string>();
        var run = StateForgeRunner.ApplyAsync(lab, playbook);
        await FaultKit.WaitUntilAsync(
            () =>
            {
                seen.Add(Classify(File.ReadAllBytes(target), old, big));
                return Directory.GetFiles(dir, ".big.bin.*").Length > 0 || run.IsCompleted;
            },
            Bound,
            "the temp file of the write to appear");
        run.IsCompleted.Should().BeFalse("the host must die while its write is under way");
        await lab.KillSshAsync(victim);
        var result = await run.Within(Bound, "the apply");
        output.WriteLine(result.ToString());

        result.ExitCode.Should().Be(3, result.ToString());
        var report = result.RequireReport();
        report.Outline(victim.Name).Should().Equal(["big file=unreachable"], result.ToString());
        foreach (var h in lab.Hosts.Where(h => h != victim))
        {
            report.Outline(h.Name).Should().Equal(["big file=changed"], result.ToString());
        }

        // The remote shell was not killed: it finishes the step (rename included) or never started it.
        await FaultKit.WaitUntilAsync(
            () =>
            {
                seen.Add(Classify(File.ReadAllBytes(target), old, big));
                return Directory.GetFiles(dir, ".big.bin.*").Length == 0;
            },
            TimeSpan.FromSeconds(20),
            "the temp file beside the target to go (renamed or removed)");
        seen.Add(Classify(File.ReadAllBytes(target), old, big));
        seen.Should().NotContain("partial");
        output.WriteLine($"reads: {string.Join(" ", seen.Distinct())}");
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Should().Equal("big.bin");
        await NoBatchLeftoversAsync(victim);
    }

    [Fact]
    public async Task HostDies_InsideABatchOfDeferredTasks_TheTaskItWasOnIsUnreachable_EarlierOnesDone_LaterOnesNotReported()
    {
        var victim = lab.Hosts[2];
        var playbook = work.Write("batch.yml", """
            - name: one batch of changes
              hosts: lab
              gather_facts: false
              tasks:
                - name: one
                  copy:
                    content: "one\n"
                    dest: /srv/faults/one
                - name: two
                  copy:
                    content: "two\n"
                    dest: /srv/faults/two
                    validate: sh -c 'touch /srv/faults/two-started; sleep 5' %s
                - name: three
                  copy:
                    content: "three\n"
                    dest: /srv/faults/three
            """);
        foreach (var h in lab.Hosts)
        {
            Directory.CreateDirectory(lab.SrvPath(h, "faults"));
        }

        var run = StateForgeRunner.ApplyAsync(lab, playbook);
        await FaultKit.WaitUntilAsync(() => File.Exists(lab.SrvPath(victim, "faults/two-started")) || run.IsCompleted, Bound, "step two to start");
        run.IsCompleted.Should().BeFalse();
        await lab.KillSshAsync(victim);
        var result = await run.Within(Bound, "the apply");
        output.WriteLine(result.ToString());

        result.ExitCode.Should().Be(3, result.ToString());
        var report = result.RequireReport();
        report.Hosts[victim.Name].RemoteCommands.Should().Be(2, "facts, then the three changes in one batch");
        report.Outline(victim.Name).Should().Equal(["one=changed", "two=unreachable"], result.ToString());
        foreach (var h in lab.Hosts.Where(h => h != victim))
        {
            report.Outline(h.Name).Should().Equal(["one=changed", "two=changed", "three=changed"], result.ToString());
        }

        // The abandoned script finished the step it was in and stopped there.
        await NoBatchLeftoversAsync(victim);
        File.Exists(lab.SrvPath(victim, "faults/three")).Should().BeFalse("the batch stops when its controller is gone");

        await lab.StartSshdAsync(victim);
        var rerun = await StateForgeRunner.ApplyAsync(lab, playbook).Within(Bound, "the rerun");
        output.WriteLine(rerun.ToString());
        rerun.ExitCode.Should().Be(0, rerun.ToString());
        rerun.RequireReport().Outline(victim.Name).Should().Equal(["one=ok", "two=ok", "three=changed"], rerun.ToString());
    }

    [Fact]
    public async Task HostDies_WhileIdleBetweenTasks_ItsNextTaskIsUnreachable_OthersFinish()
    {
        var victim = lab.Hosts[0];
        var playbook = work.Write("idle.yml", $$"""
            - name: a host dies between tasks
              hosts: lab
              gather_facts: false
              tasks:
                - name: others work
                  command: sh -c 'touch /srv/busy; sleep 5'
                  when: inventory_hostname != '{{victim.Name}}'
                - name: after
                  command: "true"
            """);

        var run = StateForgeRunner.ApplyAsync(lab, playbook);
        await FaultKit.WaitUntilAsync(() => lab.Hosts.Where(h => h != victim).All(h => File.Exists(lab.SrvPath(h, "busy"))) || run.IsCompleted, Bound, "the others to be busy");
        await lab.KillSshAsync(victim);
        var result = await run.Within(Bound, "the apply");
        output.WriteLine(result.ToString());

        result.ExitCode.Should().Be(3, result.ToString());
        var report = result.RequireReport();
        report.Outline(victim.Name).Should().Equal(["others work=skipped", "after=unreachable"], result.ToString());
        report.Find(victim.Name, "after")!.Message.Should().Contain("connection");
        foreach (var h in lab.Hosts.Where(h => h != victim))
        {
            report.Outline(h.Name).Should().Equal(["others work=changed", "after=changed"], result.ToString());
        }
    }

    /// <summary>The cut-off batch script ends at its next step and still removes its work directory.</summary>
    private async Task NoBatchLeftoversAsync(LabHost host)
    {
        var leftovers = "";
        for (var i = 0; i < 50; i++)
        {
            leftovers = await lab.ShAsync(host, "ls -A /tmp");
            if (leftovers.Length == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        leftovers.Should().BeEmpty($"the batch script on {host.Name} must clean up its work directory when its connection dies");
    }

    private static string Classify(byte[] content, byte[] old, byte[] @new) =>
        content.AsSpan().SequenceEqual(old) ? "old" : content.AsSpan().SequenceEqual(@new) ? "new" : "partial";
}
