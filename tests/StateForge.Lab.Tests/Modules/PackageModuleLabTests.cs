using System.Text.Json;
using StateForge.Execution;
using StateForge.Modules.Host;
using StateForge.Reporting;

namespace StateForge.Lab.Modules;

/// <summary>
/// The package module against real apt and dpkg on light hosts whose only apt source is the
/// test repository (tests/lab/build-apt-repo.sh). Host pkg1 is used by the apply tests in
/// order-independent package sets; pkg2 stays fresh for the check-mode playbook.
/// </summary>
public sealed class PackageModuleLabTests : IClassFixture<AptRepositoryLabFixture>
{
    private static readonly PackageModule Module = new();
    private readonly LabHosts lab;
    private readonly ITestOutputHelper output;

    public PackageModuleLabTests(AptRepositoryLabFixture fixture, ITestOutputHelper output)
    {
        lab = fixture.Lab;
        this.output = output;
        output.WriteLine($"2 hosts with the apt repository in {fixture.SetupTime.TotalMilliseconds:F0} ms");
    }

    private LabHost Host => lab.Hosts[0];

    private static PackageParams Params(PackageState state, params string[] names) => new() { Name = names, State = state };

    private async Task<string?> InstalledVersionAsync(LabHost host, string package)
    {
        var r = await lab.ExecAsync(host, "dpkg-query", "-W", "-f=${db:Status-Abbrev}${Version}", package);
        return r.Succeeded && r.StdOut.StartsWith("ii ", StringComparison.Ordinal) ? r.StdOut[3..] : null;
    }

    [Fact]
    public async Task Install_Rerun_Remove_Rerun()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);

        var install = await runner.RunAsync(Module, Params(PackageState.Present, AptRepository.Tools));
        var commandsForInstall = runner.Commands;
        var again = await runner.RunAsync(Module, Params(PackageState.Present, AptRepository.Tools));
        var check = await runner.RunAsync(Module, Params(PackageState.Present, AptRepository.Tools), check: true);
        var installed = await InstalledVersionAsync(Host, AptRepository.Tools);
        var remove = await runner.RunAsync(Module, Params(PackageState.Absent, AptRepository.Tools));
        var removeAgain = await runner.RunAsync(Module, Params(PackageState.Absent, AptRepository.Tools));

        install.Failed.Should().BeFalse(install.Message);
        install.Changed.Should().BeTrue();
        install.Message.Should().Be("installed sf-tools 1.0-1");
        commandsForInstall.Should().Be(2, "one batch of facts, one batch of steps");
        installed.Should().Be("1.0-1");
        again.Changed.Should().BeFalse();
        again.Steps.Should().BeEmpty();
        check.Changed.Should().BeFalse("no drift after an apply");
        remove.Changed.Should().BeTrue();
        remove.Failed.Should().BeFalse(remove.Message);
        (await InstalledVersionAsync(Host, AptRepository.Tools)).Should().BeNull();
        removeAgain.Changed.Should().BeFalse();
    }

    [Fact]
    public async Task MissingPackage_FailsWithAptsOwnMessage_AndInstallsNothing()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);

        var check = await runner.RunAsync(Module, Params(PackageState.Present, AptRepository.Dependency, "sf-nope"), check: true);
        var apply = await runner.RunAsync(Module, Params(PackageState.Present, AptRepository.Dependency, "sf-nope"));

        check.Failed.Should().BeTrue();
        check.Message.Should().Be($"{Host.Name}: No package matching 'sf-nope' is available (E: Unable to locate package sf-nope)");
        apply.Failed.Should().BeTrue();
        apply.Message.Should().Be("apt-get install sf-nfs-common sf-nope failed (rc 100): E: Unable to locate package sf-nope");
        apply.Result["rc"].Should().Be(100L);
        (await InstalledVersionAsync(Host, AptRepository.Dependency)).Should().BeNull("apt installs all or nothing");
    }

    [Fact]
    public async Task PinnedVersion_ThenLatest_Upgrades_ThenTamperIsRepaired()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);
        var pinned = Params(PackageState.Present, "sf-nfs-utils=1.0-1");
        var latest = Params(PackageState.Latest, AptRepository.ServicePackage);

        var installOld = await runner.RunAsync(Module, pinned);
        var oldVersion = await InstalledVersionAsync(Host, AptRepository.ServicePackage);
        var checkLatest = await runner.RunAsync(Module, latest, check: true);
        var upgrade = await runner.RunAsync(Module, latest);
        var newVersion = await InstalledVersionAsync(Host, AptRepository.ServicePackage);
        var latestAgain = await runner.RunAsync(Module, latest);
        (await lab.ExecAsync(Host, "dpkg", "-r", AptRepository.ServicePackage)).EnsureSuccess("dpkg -r by hand");
        var drift = await runner.RunAsync(Module, latest, check: true);
        var repair = await runner.RunAsync(Module, latest);

        installOld.Changed.Should().BeTrue(installOld.Message);
        oldVersion.Should().Be("1.0-1");
        checkLatest.Changes.Single().Should().Match<Planning.ResourceChange>(c => Equals(c.Before, "1.0-1") && Equals(c.After, "2.0-1"));
        upgrade.Changed.Should().BeTrue(upgrade.Message);
        newVersion.Should().Be("2.0-1");
        latestAgain.Changed.Should().BeFalse();
        drift.Changed.Should().BeTrue("the package was removed by hand");
        drift.Message.Should().Be("would install sf-nfs-utils 2.0-1");
        repair.Changed.Should().BeTrue(repair.Message);
        (await InstalledVersionAsync(Host, AptRepository.ServicePackage)).Should().Be("2.0-1");
    }

    [Fact]
    public async Task CheckMode_OnAFreshHost_PackageWouldInstallAndItsServiceWouldStart_ThenApplyDoesIt()
    {
        var fresh = lab.Hosts[1];
        const string Playbook = """
            - hosts: all
              gather_facts: true
              tasks:
                - name: NFS server package
                  package:
                    name: [sf-nfs-utils]
                - name: NFS server running
                  service:
                    name: sf-nfsd
                    state: started
                    enabled: true
            """;

        var check = await LabPlaybook.RunAsync(lab, fresh, Playbook, check: true);
        var untouched = await InstalledVersionAsync(fresh, AptRepository.ServicePackage);
        var apply = await LabPlaybook.RunAsync(lab, fresh, Playbook, check: false);
        var status = await lab.ExecAsync(fresh, "service", AptRepository.Service, "status");
        var rerun = await LabPlaybook.RunAsync(lab, fresh, Playbook, check: false);
        var checkAfter = await LabPlaybook.RunAsync(lab, fresh, Playbook, check: true);
        foreach (var r in check.Tasks.Concat(apply.Tasks))
        {
            output.WriteLine($"{r.Task}: {r.Status} {r.Message} {string.Join(" | ", r.Warnings)} ({r.Duration.TotalMilliseconds:F0} ms)");
        }

        var (checkPackage, checkService) = (Task(check, "NFS server package"), Task(check, "NFS server running"));
        checkPackage.Status.Should().Be(ResultStatus.Changed);
        checkPackage.Message.Should().Be("would install sf-nfs-utils 2.0-1");
        checkService.Status.Should().Be(ResultStatus.Changed, checkService.Message);
        checkService.Message.Should().Be("would enable sf-nfsd; would start sf-nfsd");
        checkService.Warnings.Should().ContainSingle().Which.Should().Contain("sf-nfs-utils");
        check.ExitCode.Should().Be(ExitCodes.Drift);
        untouched.Should().BeNull("check mode changes nothing");

        apply.Tasks.Should().OnlyContain(t => t.Status != ResultStatus.Failed);
        Task(apply, "NFS server package").Status.Should().Be(ResultStatus.Changed);
        Task(apply, "NFS server running").Message.Should().Be("enabled sf-nfsd; started sf-nfsd");
        status.ExitCode.Should().Be(0, "the service runs: " + status.StdOut);
        rerun.Tasks.Where(t => t.Task != "Gathering Facts").Should().OnlyContain(t => t.Status == ResultStatus.Ok);
        checkAfter.ExitCode.Should().Be(ExitCodes.Success, "no drift after the apply");
        output.WriteLine($"check {check.Duration.TotalMilliseconds:F0} ms ({check.Hosts[fresh.Name].RemoteCommands} remote commands), " +
                         $"apply {apply.Duration.TotalMilliseconds:F0} ms ({apply.Hosts[fresh.Name].RemoteCommands}), rerun {rerun.Duration.TotalMilliseconds:F0} ms ({rerun.Hosts[fresh.Name].RemoteCommands})");
    }

    [Fact]
    public async Task HostileValues_InEveryStringParameter_AreRefusedBeforeAnyHostIsContacted()
    {
        var values = new[] { "$(touch /tmp/pwned)", "`touch /tmp/pwned`", "x; touch /tmp/pwned", "x\ntouch /tmp/pwned", "it's \"quoted\"", "a b" };
        var tasks = values.SelectMany(v => new[]
        {
            $"    - {{ package: {{ name: {Json(v)} }} }}",
            $"    - {{ package: {{ name: {Json("sf-tools=" + v)} }} }}",
            $"    - {{ service: {{ name: {Json(v)}, state: started }} }}",
            $"    - {{ seboolean: {{ name: {Json(v)}, state: true, persistent: true }} }}",
        }).ToList();
        var playbook = "- hosts: all\n  tasks:\n" + string.Join('\n', tasks) + "\n";
        var logins = await LoginsAsync();

        var (_, _, _, diagnostics) = await LabPlaybook.LoadAsync(lab, Host, playbook);
        var loginsAfterLoad = await LoginsAsync();

        // The module level, as the executor sees values that only templating produces.
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);
        var plans = new List<Planning.TaskPlan>();
        foreach (var v in values)
        {
            plans.Add(await runner.RunAsync(Module, Params(PackageState.Present, v)));
            plans.Add(await runner.RunAsync(new ServiceModule(), new ServiceParams { Name = v, State = ServiceState.Started }));
            plans.Add(await runner.RunAsync(new SeBooleanModule(), new SeBooleanParams { Name = v, State = true, Persistent = true }));
        }

        diagnostics.Should().HaveCount(tasks.Count).And.OnlyContain(d => d.Code == "SF0022");
        diagnostics.Select(d => d.Message).Should().Contain("module 'package': name: 'x\\x0atouch /tmp/pwned' is not a package name " +
            "(letters, digits and + . _ - only, optionally :arch; no globs, paths, URLs, spaces or shell syntax)");
        loginsAfterLoad.Should().Be(logins, "loading the playbook contacted no host");
        plans.Should().OnlyContain(p => p.Failed && p.Message!.StartsWith("invalid arguments", StringComparison.Ordinal));
        runner.Commands.Should().Be(0, "no command ran on the host");
        (await lab.ExecAsync(Host, "ls", "/tmp/pwned")).ExitCode.Should().NotBe(0);
    }

    private async Task<int> LoginsAsync() =>
        (await File.ReadAllLinesAsync(Host.SshdLogPath)).Count(l => l.Contains("Accepted publickey", StringComparison.Ordinal));

    private static TaskResult Task(RunReport report, string name) => report.Tasks.Single(t => t.Task == name);

    private static string Json(string value) => JsonSerializer.Serialize(value);
}
