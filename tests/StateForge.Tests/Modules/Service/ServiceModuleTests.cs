using StateForge.Facts;
using StateForge.Modules;
using StateForge.Modules.Host;
using StateForge.Planning;

namespace StateForge.Tests.Modules.Service;

/// <summary>
/// Planning from probe outputs captured on lab hosts: sysv-* on a light host (LSB script of the
/// test package sf-nfs-utils, update-rc.d), systemd-* on a systemd-nspawn host (systemd 252).
/// </summary>
public sealed class ServiceModuleTests
{
    private static readonly ServiceModule Module = new();

    private static FakeHost HostWith(string fixture) => new(p => p is ServiceStatusProbe ? FakeHost.Output(Captured.Read(fixture)) : null);

    private static ServiceParams Params(string name, ServiceState? state = null, bool? enabled = null) => new() { Name = name, State = state, Enabled = enabled };

    [Theory]
    [InlineData("sysv-running-enabled.txt", "sysv", true, true, true, true)]
    [InlineData("sysv-stopped-enabled.txt", "sysv", true, false, true, true)]
    [InlineData("sysv-stopped-disabled.txt", "sysv", true, false, false, true)]
    [InlineData("sysv-stopped-nolinks.txt", "sysv", true, false, false, false)]
    [InlineData("sysv-missing.txt", "sysv", false, false, false, false)]
    [InlineData("systemd-running-enabled.txt", "systemd", true, true, true, false)]
    [InlineData("systemd-stopped-disabled.txt", "systemd", true, false, false, false)]
    [InlineData("systemd-static.txt", "systemd", true, true, true, false)]
    [InlineData("systemd-masked.txt", "systemd", true, false, false, false)]
    [InlineData("systemd-missing.txt", "systemd", false, false, false, false)]
    public void Parse_CapturedOutputs(string fixture, string manager, bool exists, bool running, bool enabled, bool links)
    {
        var s = ServiceStatusProbe.ParseOutput(Captured.Read(fixture));

        (s.Manager, s.Exists, s.Running, s.Enabled, s.HasLinks).Should().Be((manager, exists, running, enabled, links));
    }

    [Fact]
    public void Parse_SystemdStates_KeepTheirWords()
    {
        ServiceStatusProbe.ParseOutput(Captured.Read("systemd-static.txt")).CannotToggle.Should().BeTrue();
        ServiceStatusProbe.ParseOutput(Captured.Read("systemd-masked.txt")).Masked.Should().BeTrue();
        ServiceStatusProbe.ParseOutput(Captured.Read("systemd-missing.txt")).EnabledState.Should().Be("not-found");
        ServiceStatusProbe.ParseOutput(Captured.Read("systemd-running-enabled.txt")).Properties["SubState"].Should().Be("running");
    }

    [Fact]
    public void Parse_Chkconfig_OnInRunlevelsTwoToFive()
    {
        // chkconfig --list NAME on RHEL 6: one line, runlevels 0-6.
        const string On = "@manager sysv\n@exists\n@status 3\n@tool chkconfig\n@chkconfig rpcbind       \t0:off\t1:off\t2:on\t3:on\t4:on\t5:on\t6:off\n";
        const string Off = "@manager sysv\n@exists\n@status 0\n@tool chkconfig\n@chkconfig rpcbind       \t0:off\t1:off\t2:off\t3:off\t4:off\t5:off\t6:off\n";

        ServiceStatusProbe.ParseOutput(On).Should().Match<ServiceStatus>(s => s.Enabled && !s.Running && s.Tool == "chkconfig");
        ServiceStatusProbe.ParseOutput(Off).Should().Match<ServiceStatus>(s => !s.Enabled && s.Running);
    }

    [Fact]
    public async Task Sysv_StartAndEnable_UsesServiceAndUpdateRcD()
    {
        var plan = await HostWith("sysv-stopped-nolinks.txt").PlanAsync(Module, Params("sf-nfsd", ServiceState.Started, enabled: true));

        plan.Changes.Select(c => (c.Resource, c.Action, c.Before, c.After)).Should().Equal(
            ("service sf-nfsd at boot", ChangeAction.Modify, "disabled", "enabled"),
            ("service sf-nfsd", ChangeAction.Modify, "stopped", "started"));
        plan.Steps.Select(s => s.Script).Should().Equal(
            "update-rc.d sf-nfsd defaults && update-rc.d sf-nfsd enable",
            "if command -v service >/dev/null 2>&1; then service sf-nfsd start; else /etc/init.d/sf-nfsd start; fi");
        plan.Message.Should().Be("enabled sf-nfsd; started sf-nfsd");
        plan.Result["state"].Should().Be("started");
        plan.Result["enabled"].Should().Be(true);
    }

    [Fact]
    public async Task Sysv_EnableWithExistingLinks_SkipsDefaults()
    {
        var plan = await HostWith("sysv-stopped-disabled.txt").PlanAsync(Module, Params("sf-nfsd", enabled: true));

        plan.Steps.Should().ContainSingle().Which.Script.Should().Be("update-rc.d sf-nfsd enable");
    }

    [Fact]
    public async Task Sysv_RunningAndEnabled_NothingToDo()
    {
        var plan = await HostWith("sysv-running-enabled.txt").PlanAsync(Module, Params("sf-nfsd", ServiceState.Started, enabled: true));

        plan.Changed.Should().BeFalse();
        plan.Steps.Should().BeEmpty();
        plan.Message.Should().Be("sf-nfsd is started and enabled");
    }

    [Fact]
    public async Task Sysv_StopAndDisable()
    {
        var plan = await HostWith("sysv-running-enabled.txt").PlanAsync(Module, Params("sf-nfsd", ServiceState.Stopped, enabled: false), check: true);

        plan.Steps.Select(s => s.Script).Should().Equal(
            "update-rc.d sf-nfsd disable",
            "if command -v service >/dev/null 2>&1; then service sf-nfsd stop; else /etc/init.d/sf-nfsd stop; fi");
        plan.Message.Should().Be("would disable sf-nfsd; would stop sf-nfsd");
    }

    [Fact]
    public async Task Sysv_Stop_SaysStopped()
    {
        (await HostWith("sysv-running-enabled.txt").PlanAsync(Module, Params("sf-nfsd", ServiceState.Stopped))).Message.Should().Be("stopped sf-nfsd");
    }

    [Fact]
    public async Task Sysv_ChkconfigHost_EnablesWithChkconfig()
    {
        var host = new FakeHost(p => p is ServiceStatusProbe ? FakeHost.Output("@manager sysv\n@exists\n@status 3\n@tool chkconfig\n") : null);

        var plan = await host.PlanAsync(Module, Params("rpcbind", enabled: true));

        plan.Steps.Single().Script.Should().Be("chkconfig --add rpcbind && chkconfig rpcbind on");
    }

    [Fact]
    public async Task Systemd_StartAndEnable_UsesSystemctl()
    {
        var plan = await HostWith("systemd-stopped-disabled.txt").PlanAsync(Module, Params("sf-demo", ServiceState.Started, enabled: true));

        plan.Steps.Select(s => s.Script).Should().Equal("systemctl enable -- sf-demo", "systemctl start -- sf-demo");
        plan.Result["service_mgr"].Should().Be("systemd");
        ((IDictionary<string, object?>)plan.Result["status"]!)["LoadState"].Should().Be("loaded");
    }

    [Fact]
    public async Task Systemd_RunningEnabled_NothingToDo()
    {
        var plan = await HostWith("systemd-running-enabled.txt").PlanAsync(Module, Params("ssh", ServiceState.Started, enabled: true));

        plan.Changed.Should().BeFalse();
        plan.Changes.Should().HaveCount(2).And.OnlyContain(c => !c.IsChange);
    }

    [Theory]
    [InlineData("systemd-running-enabled.txt", ServiceState.Restarted, "systemctl restart -- x", "started", "restarted")]
    [InlineData("systemd-stopped-disabled.txt", ServiceState.Restarted, "systemctl restart -- x", "stopped", "restarted")]
    [InlineData("systemd-running-enabled.txt", ServiceState.Reloaded, "systemctl reload -- x", "started", "reloaded")]
    [InlineData("systemd-stopped-disabled.txt", ServiceState.Reloaded, "systemctl start -- x", "stopped", "started")]
    public async Task RestartedAndReloaded_AlwaysChange(string fixture, ServiceState state, string script, string before, string after)
    {
        var plan = await HostWith(fixture).PlanAsync(Module, Params("x", state));

        plan.Changed.Should().BeTrue();
        plan.Steps.Single().Script.Should().Be(script);
        plan.Changes.Single().Should().Match<ResourceChange>(c => Equals(c.Before, before) && Equals(c.After, after));
    }

    [Fact]
    public async Task Systemd_Masked_FailsClearly()
    {
        var plan = await HostWith("systemd-masked.txt").PlanAsync(Module, Params("apt-daily.service", ServiceState.Started));

        plan.Message.Should().Be("host1: service 'apt-daily.service' is masked; unmask it before starting or enabling it");
    }

    [Fact]
    public async Task Systemd_StaticUnit_IsEnabledAlreadyAndCannotBeDisabled()
    {
        (await HostWith("systemd-static.txt").PlanAsync(Module, Params("dbus", enabled: true))).Changed.Should().BeFalse();
        (await HostWith("systemd-static.txt").PlanAsync(Module, Params("dbus", enabled: false))).Message
            .Should().Be("host1: unit 'dbus' is static: systemctl cannot disable it (mask it to keep it from starting)");
    }

    [Theory]
    [InlineData("sysv-missing.txt", "host1: service 'nosuch' was not found (no executable /etc/init.d/nosuch)")]
    [InlineData("systemd-missing.txt", "host1: service 'nosuch' was not found (systemd knows no unit nosuch)")]
    public async Task MissingService_FailsNamingHostAndService(string fixture, string message)
    {
        foreach (var check in new[] { false, true })
        {
            var plan = await HostWith(fixture).PlanAsync(Module, Params("nosuch", ServiceState.Started), check);

            plan.Failed.Should().BeTrue();
            plan.Message.Should().Be(message);
        }
    }

    [Fact]
    public async Task CheckMode_MissingServiceWhosePackageIsPlanned_PlansWouldStart()
    {
        var host = HostWith("sysv-missing.txt");
        host.Facts.Simulate(new PlannedPackagesProbe(), PlannedPackages.None.With(new PlannedPackage("sf-nfs-utils", true, "2.0-1")));

        var plan = await host.PlanAsync(Module, Params("sf-nfsd", ServiceState.Started, enabled: true), check: true);

        plan.Failed.Should().BeFalse();
        plan.Message.Should().Be("would enable sf-nfsd; would start sf-nfsd");
        plan.Warnings.Should().ContainSingle().Which.Should().Be(
            "service 'sf-nfsd' is not on host1 yet; assuming it comes with sf-nfs-utils, which an earlier task would install");
        plan.Changes.Should().OnlyContain(c => c.IsChange);
    }

    [Fact]
    public async Task Apply_MissingServiceWithAPlannedPackage_StillFails()
    {
        // When applying, the engine reads facts again after an install: a service still missing then is missing.
        var host = HostWith("sysv-missing.txt");
        host.Facts.Simulate(new PlannedPackagesProbe(), PlannedPackages.None.With(new PlannedPackage("sf-nfs-utils", true, "2.0-1")));

        (await host.PlanAsync(Module, Params("sf-nfsd", ServiceState.Started))).Failed.Should().BeTrue();
    }

    [Fact]
    public async Task CheckMode_PlannedRemovalOnly_DoesNotExcuseAMissingService()
    {
        var host = HostWith("sysv-missing.txt");
        host.Facts.Simulate(new PlannedPackagesProbe(), PlannedPackages.None.With(new PlannedPackage("sf-tools", false, null)));

        (await host.PlanAsync(Module, Params("sf-nfsd", ServiceState.Started), check: true)).Failed.Should().BeTrue();
    }

    [Fact]
    public async Task Plan_SimulatesTheNewState_ForLaterTasks()
    {
        var host = HostWith("systemd-stopped-disabled.txt");

        await host.PlanAsync(Module, Params("sf-demo", ServiceState.Started), check: true);
        var again = await host.PlanAsync(Module, Params("sf-demo", ServiceState.Started), check: true);

        again.Changed.Should().BeFalse();
        host.Batches.Should().ContainSingle();
    }

    [Fact]
    public async Task Plan_ServiceMgrFactDisagreesWithTheProbe_AsksTheFactsManager()
    {
        var host = new FakeHost(p => p is ServiceStatusProbe s
            ? FakeHost.Output(Captured.Read(s.Use == ServiceManager.Systemd ? "systemd-stopped-disabled.txt" : "sysv-stopped-enabled.txt"))
            : null);

        var plan = await host.PlanAsync(Module, Params("sf-demo", ServiceState.Started), ansibleFacts: new Dictionary<string, object?> { ["service_mgr"] = "systemd" });

        plan.Steps.Single().Script.Should().Be("systemctl start -- sf-demo");
        host.Asked.OfType<ServiceStatusProbe>().Select(p => p.Use).Should().Equal(ServiceManager.Auto, ServiceManager.Systemd);
    }

    [Fact]
    public async Task SystemdModule_ForcesSystemctl()
    {
        var host = HostWith("systemd-stopped-disabled.txt");

        await host.PlanAsync(new SystemdModule(), Params("sf-demo", ServiceState.Started));

        host.Asked.OfType<ServiceStatusProbe>().Single().Use.Should().Be(ServiceManager.Systemd);
        new SystemdModule().Validate(Params("x", ServiceState.Started) with { Use = ServiceManager.Sysvinit }).Should().ContainSingle();
    }

    [Fact]
    public async Task SystemdModule_OnAHostNotBootedWithSystemd_FailsClearly()
    {
        // Captured on a light host (PID 1 bash, systemd installed): systemctl show prints nothing useful.
        var host = new FakeHost(p => p is ServiceStatusProbe ? FakeHost.Output(Captured.Read("systemd-forced-not-booted.txt")) : null);

        var plan = await host.PlanAsync(new SystemdModule(), Params("sf-nfsd", ServiceState.Started));

        plan.Message.Should().Be("host1: systemd is not running there (PID 1 is not systemd), so it cannot manage 'sf-nfsd'; the service module picks init scripts there");
    }

    [Fact]
    public async Task DaemonReload_RunsFirstAndIsNoChange()
    {
        var plan = await HostWith("systemd-running-enabled.txt").PlanAsync(new SystemdModule(), Params("ssh", ServiceState.Started) with { DaemonReload = true });

        plan.Changed.Should().BeFalse();
        plan.Steps.Single().Script.Should().Be("systemctl daemon-reload");
    }

    [Fact]
    public void Validate_NeedsStateOrEnabled()
    {
        Module.Validate(Params("sf-nfsd")).Should().ContainSingle().Which.Should().Be("one of state, enabled or daemon_reload is required");
    }

    [Fact]
    public void HostileNames_AreRefusedAndNoProbeIsMade()
    {
        foreach (var value in Hostile.Values)
        {
            var p = Params(value, ServiceState.Started);

            Module.Validate(p).Should().NotBeEmpty($"'{value}' must be refused");
            Module.Probes(p).Should().BeEmpty($"nothing of '{value}' may reach a host");
        }
    }

    [Fact]
    public void Catalog_RegistersTheAnsibleNames()
    {
        var catalog = ModuleCatalog.BuiltIn;
        catalog.Find("service").Should().BeOfType<ServiceModule>();
        catalog.Find("ansible.builtin.service").Should().BeOfType<ServiceModule>();
        catalog.Find("systemd").Should().BeOfType<SystemdModule>();
        catalog.Find("ansible.builtin.systemd").Should().BeOfType<SystemdModule>();
        catalog.Find("ansible.builtin.systemd_service").Should().BeOfType<SystemdModule>();
        catalog.Find("ansible.builtin.sysvinit").Should().BeOfType<SysvinitModule>();
        ParameterSchema.For(typeof(ServiceParams)).Parameters.Should().OnlyContain(p => p.Doc.Description.Length > 0);
        ParameterSchema.For(typeof(ServiceParams)).ByName["state"].Choices.Should().Equal("started", "stopped", "restarted", "reloaded");
    }
}
