using StateForge.Modules;
using StateForge.Modules.Host;
using StateForge.Planning;

namespace StateForge.Tests.Modules.SeBoolean;

/// <summary>Planning from getsebool and semanage outputs (see Fixtures/README.md for where each comes from).</summary>
public sealed class SeBooleanModuleTests
{
    private static readonly SeBooleanModule Module = new();

    private static FakeHost HostWith(string fixture) => new(p => p is SeBooleanProbe ? FakeHost.Output(Captured.Read(fixture)) : null);

    private static SeBooleanParams Params(bool state = true, bool persistent = true, bool ignore = false, string name = "virt_use_nfs") =>
        new() { Name = name, State = state, Persistent = persistent, IgnoreSelinuxState = ignore };

    [Fact]
    public void Parse_DisabledWithStore_ReadsThePersistedValue()
    {
        var on = SeBooleanProbe.ParseOutput("virt_use_nfs", Captured.Read("sebool-disabled-store-on.txt"));
        var off = SeBooleanProbe.ParseOutput("virt_use_nfs", Captured.Read("sebool-disabled-store-off.txt"));

        on.Should().Be(new SeBooleanState(false, "SELinux is disabled", null, null, true, null, true));
        off.Persisted.Should().BeFalse();
    }

    [Fact]
    public void Parse_Enabled_ReadsRuntimeAndPersistedApart()
    {
        var s = SeBooleanProbe.ParseOutput("virt_use_nfs", Captured.Read("sebool-enabled-runtime-off-persisted-on.txt"));

        (s.SelinuxEnabled, s.Runtime, s.Persisted).Should().Be((true, false, true));
        SeBooleanProbe.ParseOutput("virt_use_nfs", Captured.Read("sebool-enabled-pending.txt")).Runtime.Should().BeTrue("the active value, not the pending one");
    }

    [Fact]
    public void Parse_StoreProblems_AreToldApart()
    {
        SeBooleanProbe.ParseOutput("virt_use_nfs", Captured.Read("sebool-no-selinux-tools.txt"))
            .Should().Match<SeBooleanState>(s => s.SelinuxProblem!.StartsWith("getsebool is not installed") && s.StoreProblem!.StartsWith("semanage is not installed"));
        SeBooleanProbe.ParseOutput("virt_use_nfs", Captured.Read("sebool-disabled-no-store.txt")).StoreProblem
            .Should().Be("semanage boolean -l failed (rc 1): ValueError: SELinux policy is not managed or store cannot be accessed.");
    }

    [Fact]
    public void Probe_RuntimeOnlyValue_DoesNotAnswerAPersistentTask()
    {
        var runtimeOnly = SeBooleanProbe.ParseOutput("virt_use_nfs", Captured.Read("sebool-disabled-runtime-only.txt"));

        new SeBooleanProbe("virt_use_nfs", Persistent: true).IsSatisfiedBy(runtimeOnly).Should().BeFalse();
        new SeBooleanProbe("virt_use_nfs", Persistent: false).IsSatisfiedBy(runtimeOnly).Should().BeTrue();
        new SeBooleanProbe("virt_use_nfs", Persistent: false).Script.Should().NotContain("semanage", "a runtime-only task does not pay for semanage (~0.6 s)");
    }

    [Fact]
    public async Task Enabled_RuntimeOffPersistedOn_IsDriftFixedWithoutRebuildingThePolicy()
    {
        // Ansible's seboolean compares only the persisted value here and reports ok.
        var plan = await HostWith("sebool-enabled-runtime-off-persisted-on.txt").PlanAsync(Module, Params());

        plan.Changes.Select(c => (c.Resource, c.Action, c.Before, c.After)).Should().Equal(
            ("seboolean virt_use_nfs (runtime)", ChangeAction.Modify, "off", "on"),
            ("seboolean virt_use_nfs (persistent)", ChangeAction.None, null, null));
        plan.Steps.Single().Script.Should().Be("setsebool virt_use_nfs on");
        plan.Message.Should().Be("set virt_use_nfs to on (runtime only)");
    }

    [Fact]
    public async Task Enabled_PersistedOff_UsesDashP()
    {
        var plan = await HostWith("sebool-enabled-runtime-on-persisted-off.txt").PlanAsync(Module, Params(), check: true);

        plan.Changes.Where(c => c.IsChange).Should().ContainSingle().Which.Resource.Should().Be("seboolean virt_use_nfs (persistent)");
        plan.Steps.Single().Script.Should().Be("setsebool -P virt_use_nfs on");
        plan.Message.Should().Be("would set virt_use_nfs to on (persistent)");
    }

    [Fact]
    public async Task Enabled_BothRight_NothingToDo()
    {
        var plan = await HostWith("sebool-enabled-both-on.txt").PlanAsync(Module, Params());

        plan.Changed.Should().BeFalse();
        plan.Steps.Should().BeEmpty();
        plan.Result["runtime"].Should().Be(true);
        plan.Result["persisted"].Should().Be(true);
    }

    [Fact]
    public async Task Enabled_RuntimeOnlyTask_SetsWithoutDashP()
    {
        var plan = await HostWith("sebool-enabled-pending.txt").PlanAsync(Module, Params(state: false, persistent: false));

        plan.Steps.Single().Script.Should().Be("setsebool virt_use_nfs off");
        plan.Changes.Should().ContainSingle();
    }

    [Fact]
    public async Task Enabled_UndefinedBoolean_Fails()
    {
        var plan = await HostWith("sebool-enabled-undefined.txt").PlanAsync(Module, Params(name: "nosuch_bool", persistent: false));

        plan.Message.Should().Be("host1: SELinux boolean 'nosuch_bool' is not defined (Error getting active value for nosuch_bool)");
    }

    [Fact]
    public async Task Enabled_PersistentWithoutSemanage_FailsNamingThePackage()
    {
        var plan = await HostWith("sebool-enabled-no-semanage.txt").PlanAsync(Module, Params());

        plan.Message.Should().StartWith("host1: cannot read the persisted value of SELinux boolean 'virt_use_nfs': semanage is not installed");
    }

    [Fact]
    public async Task Disabled_PersistentWithStore_ManagesTheStoreAndWarns()
    {
        var plan = await HostWith("sebool-disabled-store-off.txt").PlanAsync(Module, Params());

        plan.Changes.Select(c => (c.Resource, c.Action)).Should().Equal(
            ("seboolean virt_use_nfs (runtime: SELinux is disabled: runtime value not applicable)", ChangeAction.None),
            ("seboolean virt_use_nfs (persistent)", ChangeAction.Modify));
        plan.Steps.Single().Script.Should().Be("setsebool -P virt_use_nfs on");
        plan.Warnings.Should().ContainSingle().Which.Should().Be(
            "SELinux is disabled on host1: only the persisted value of 'virt_use_nfs' is managed; it applies once SELinux is enabled");
        plan.Result["runtime"].Should().Be("SELinux is disabled: runtime value not applicable");
        plan.Result["selinux"].Should().Be("disabled");
    }

    [Fact]
    public async Task Disabled_StoreAlreadyRight_IsOk()
    {
        (await HostWith("sebool-disabled-store-on.txt").PlanAsync(Module, Params())).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Disabled_BooleanNotInTheStore_Fails()
    {
        var plan = await HostWith("sebool-disabled-store-undefined.txt").PlanAsync(Module, Params(name: "nosuch_bool"));

        plan.Message.Should().Be("host1: SELinux boolean 'nosuch_bool' is not defined in the policy store (semanage boolean -l does not list it)");
    }

    [Fact]
    public async Task Disabled_RuntimeOnly_FailsNamingTheHost_OrSkips()
    {
        var failed = await HostWith("sebool-disabled-runtime-only.txt").PlanAsync(Module, Params(persistent: false));
        var skipped = await HostWith("sebool-disabled-runtime-only.txt").PlanAsync(Module, Params(persistent: false, ignore: true));

        failed.Failed.Should().BeTrue();
        failed.Message.Should().Be("host1: SELinux is disabled: the runtime value of boolean 'virt_use_nfs' cannot be set " +
                                   "(persistent: true manages the policy store; ignore_selinux_state: true skips this task)");
        skipped.Skipped.Should().BeTrue();
        skipped.Failed.Should().BeFalse();
        skipped.Steps.Should().BeEmpty();
    }

    [Theory]
    [InlineData("sebool-no-selinux-tools.txt", "host1: getsebool is not installed (no SELinux userland) and there is no SELinux policy store to manage boolean 'virt_use_nfs' (semanage is not installed")]
    [InlineData("sebool-disabled-no-store.txt", "host1: SELinux is disabled and there is no SELinux policy store to manage boolean 'virt_use_nfs' (semanage boolean -l failed (rc 1): ValueError: SELinux policy is not managed or store cannot be accessed.)")]
    [InlineData("sebool-disabled-no-config.txt", "host1: SELinux is disabled and there is no SELinux policy store")]
    public async Task Disabled_NoStore_FailsNamingTheHost_OrSkips(string fixture, string message)
    {
        var failed = await HostWith(fixture).PlanAsync(Module, Params());
        var skipped = await HostWith(fixture).PlanAsync(Module, Params(ignore: true));

        failed.Failed.Should().BeTrue();
        failed.Message.Should().StartWith(message);
        skipped.Skipped.Should().BeTrue();
        skipped.Message.Should().EndWith("skipped (ignore_selinux_state)");
    }

    [Fact]
    public async Task Plan_SimulatesTheNewValues_ForLaterTasks()
    {
        var host = HostWith("sebool-disabled-store-off.txt");

        await host.PlanAsync(Module, Params(), check: true);
        var again = await host.PlanAsync(Module, Params(), check: true);

        again.Changed.Should().BeFalse();
        host.Batches.Should().ContainSingle();
    }

    [Fact]
    public void HostileNames_AreRefusedAndNoProbeIsMade()
    {
        foreach (var value in Hostile.Values.Append("virt-use-nfs").Append("virt_use_nfs=1"))
        {
            var p = Params(name: value);

            Module.Validate(p).Should().NotBeEmpty($"'{value}' must be refused");
            Module.Probes(p).Should().BeEmpty($"nothing of '{value}' may reach a host");
        }
    }

    [Fact]
    public void Catalog_AndDocs()
    {
        ModuleCatalog.BuiltIn.Find("ansible.posix.seboolean").Should().BeOfType<SeBooleanModule>();
        ModuleCatalog.BuiltIn.Find("seboolean").Should().BeOfType<SeBooleanModule>();
        ParameterSchema.For(typeof(SeBooleanParams)).Parameters.Select(p => p.Name).Should().Equal("name", "state", "persistent", "ignore_selinux_state");
        ParameterSchema.For(typeof(SeBooleanParams)).Parameters.Should().OnlyContain(p => p.Doc.Description.Length > 0);
    }
}
