using StateForge.Modules.Host;
using StateForge.Planning;

namespace StateForge.Lab.Modules;

/// <summary>
/// The service module on a light host, whose PID 1 is not systemd: the LSB init script of the
/// test package (sf-nfsd, running `sleep infinity`) through `service` and update-rc.d.
/// </summary>
public sealed class ServiceModuleSysvLabTests : IClassFixture<AptRepositorySysvLabFixture>, IAsyncLifetime
{
    private static readonly ServiceModule Module = new();
    private readonly LabHosts lab;

    public ServiceModuleSysvLabTests(AptRepositorySysvLabFixture fixture, ITestOutputHelper output)
    {
        lab = fixture.Lab;
        output.WriteLine($"1 light host with the apt repository in {fixture.SetupTime.TotalMilliseconds:F0} ms");
    }

    private LabHost Host => lab.Hosts[0];

    public async Task InitializeAsync()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);
        var install = await runner.RunAsync(new PackageModule(), new PackageParams { Name = [AptRepository.ServicePackage] });
        install.Failed.Should().BeFalse(install.Message);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static ServiceParams Params(ServiceState? state = null, bool? enabled = null) => new() { Name = AptRepository.Service, State = state, Enabled = enabled };

    private async Task<int> StatusAsync() => (await lab.ExecAsync(Host, "service", AptRepository.Service, "status")).ExitCode;

    private async Task<string> LinksAsync() =>
        (await lab.ExecAsync(Host, "sh", "-c", "ls /etc/rc2.d /etc/rc3.d | grep sf-nfsd | sort -u")).StdOut.Trim();

    [Fact]
    public async Task StartEnable_Rerun_TamperByHand_Repair_ThenStopDisable()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);
        var up = Params(ServiceState.Started, enabled: true);

        var start = await runner.RunAsync(Module, up);
        var running = await StatusAsync();
        var links = await LinksAsync();
        var again = await runner.RunAsync(Module, up);
        (await lab.ExecAsync(Host, "service", AptRepository.Service, "stop")).EnsureSuccess("service stop by hand");
        var drift = await runner.RunAsync(Module, up, check: true);
        var repair = await runner.RunAsync(Module, up);
        var runningAgain = await StatusAsync();
        var down = await runner.RunAsync(Module, Params(ServiceState.Stopped, enabled: false));
        var stopped = await StatusAsync();
        var linksAfter = await LinksAsync();
        var downAgain = await runner.RunAsync(Module, Params(ServiceState.Stopped, enabled: false));

        start.Failed.Should().BeFalse(start.Message);
        start.Message.Should().Be("enabled sf-nfsd; started sf-nfsd");
        running.Should().Be(0);
        links.Should().Be("S01sf-nfsd", "update-rc.d made start links in the multi-user runlevels");
        again.Changed.Should().BeFalse();
        again.Steps.Should().BeEmpty();
        drift.Changes.Where(c => c.IsChange).Should().ContainSingle().Which.Should().Be(
            new ResourceChange("service sf-nfsd", ChangeAction.Modify, "stopped", "started", "- state: stopped\n+ state: started"));
        repair.Message.Should().Be("started sf-nfsd");
        runningAgain.Should().Be(0);
        down.Message.Should().Be("disabled sf-nfsd; stopped sf-nfsd");
        stopped.Should().Be(3, "LSB status of a stopped service");
        linksAfter.Should().Be("K01sf-nfsd");
        downAgain.Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Restarted_AlwaysChanges_AndRestartsTheProcess()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);
        await runner.RunAsync(Module, Params(ServiceState.Started));
        var before = (await lab.ExecAsync(Host, "cat", "/run/sf-nfsd.pid")).StdOut.Trim();

        var restart = await runner.RunAsync(Module, Params(ServiceState.Restarted));
        var after = (await lab.ExecAsync(Host, "cat", "/run/sf-nfsd.pid")).StdOut.Trim();
        var restartAgain = await runner.RunAsync(Module, Params(ServiceState.Restarted));

        restart.Changed.Should().BeTrue();
        restartAgain.Changed.Should().BeTrue("restarted always restarts, as in Ansible");
        after.Should().NotBeEmpty().And.NotBe(before);
    }

    [Fact]
    public async Task MissingService_FailsNamingHostAndService()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);

        var plan = await runner.RunAsync(Module, new ServiceParams { Name = "sf-nosuch", State = ServiceState.Started }, check: true);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be($"{Host.Name}: service 'sf-nosuch' was not found (no executable /etc/init.d/sf-nosuch)");
    }
}

/// <summary>The service module on a host that boots systemd (systemd-nspawn): the unit of the test package.</summary>
public sealed class ServiceModuleSystemdLabTests : IClassFixture<AptRepositorySystemdLabFixture>, IAsyncLifetime
{
    private static readonly ServiceModule Module = new();
    private readonly LabHosts lab;
    private readonly ITestOutputHelper output;

    public ServiceModuleSystemdLabTests(AptRepositorySystemdLabFixture fixture, ITestOutputHelper output)
    {
        lab = fixture.Lab;
        this.output = output;
        output.WriteLine($"1 systemd host with the apt repository in {fixture.SetupTime.TotalMilliseconds:F0} ms");
    }

    private LabHost Host => lab.Hosts[0];

    public async Task InitializeAsync()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);
        var install = await runner.RunAsync(new PackageModule(), new PackageParams { Name = [AptRepository.ServicePackage] });
        install.Failed.Should().BeFalse(install.Message);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static ServiceParams Params(ServiceState? state = null, bool? enabled = null) => new() { Name = AptRepository.Service, State = state, Enabled = enabled };

    private async Task<string> SystemctlAsync(string verb) => (await lab.ExecAsync(Host, "systemctl", verb, AptRepository.Service)).StdOut.Trim();

    private async Task<string> MainPidAsync() =>
        (await lab.ExecAsync(Host, "systemctl", "show", "-p", "MainPID", "--value", AptRepository.Service)).StdOut.Trim();

    [Fact]
    public async Task StartEnable_Rerun_StopByHand_Drift_Repair_Restart_Disable()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);
        var up = Params(ServiceState.Started, enabled: true);

        var start = await runner.RunAsync(Module, up);
        var (active, enabled) = (await SystemctlAsync("is-active"), await SystemctlAsync("is-enabled"));
        var again = await runner.RunAsync(Module, up);
        (await lab.ExecAsync(Host, "systemctl", "stop", AptRepository.Service)).EnsureSuccess("systemctl stop by hand");
        var drift = await runner.RunAsync(Module, up, check: true);
        var repair = await runner.RunAsync(Module, up);
        var activeAgain = await SystemctlAsync("is-active");
        var pid = await MainPidAsync();
        var restart = await runner.RunAsync(Module, Params(ServiceState.Restarted));
        var pidAfter = await MainPidAsync();
        var disable = await runner.RunAsync(Module, Params(ServiceState.Stopped, enabled: false));
        var (inactive, disabled) = (await SystemctlAsync("is-active"), await SystemctlAsync("is-enabled"));
        var disableAgain = await runner.RunAsync(Module, Params(ServiceState.Stopped, enabled: false));

        start.Failed.Should().BeFalse(start.Message);
        start.Message.Should().Be("enabled sf-nfsd; started sf-nfsd");
        start.Result["service_mgr"].Should().Be("systemd");
        (active, enabled).Should().Be(("active", "enabled"));
        again.Changed.Should().BeFalse();
        drift.Changes.Where(c => c.IsChange).Should().ContainSingle().Which.Resource.Should().Be("service sf-nfsd");
        repair.Message.Should().Be("started sf-nfsd");
        activeAgain.Should().Be("active");
        restart.Changed.Should().BeTrue();
        pidAfter.Should().NotBe(pid, "restart gave the service a new main process");
        disable.Message.Should().Be("disabled sf-nfsd; stopped sf-nfsd");
        (inactive, disabled).Should().Be(("inactive", "disabled"));
        disableAgain.Changed.Should().BeFalse();
        output.WriteLine($"{runner.Commands} remote commands for 7 runs (one fact batch each, one step batch when changing)");
    }

    [Fact]
    public async Task MissingUnit_FailsNamingHostAndService()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, Host);

        var plan = await runner.RunAsync(Module, new ServiceParams { Name = "sf-nosuch", State = ServiceState.Started });

        plan.Message.Should().Be($"{Host.Name}: service 'sf-nosuch' was not found (systemd knows no unit sf-nosuch)");
    }
}
