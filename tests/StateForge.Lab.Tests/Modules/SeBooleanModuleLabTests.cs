using StateForge.Modules.Host;

namespace StateForge.Lab.Modules;

/// <summary>
/// The seboolean module against a real SELinux policy store (selinux-policy-default, laid over a
/// light host by tests/lab/selinux-layer.sh) on a kernel without SELinux, and against a host
/// without any SELinux userland. The runtime paths (SELinux enabled) are unit-tested.
/// </summary>
public sealed class SeBooleanModuleLabTests : IClassFixture<SelinuxLayerLabFixture>
{
    private static readonly SeBooleanModule Module = new();
    private readonly SelinuxLayerLabFixture fixture;
    private readonly LabHosts lab;

    public SeBooleanModuleLabTests(SelinuxLayerLabFixture fixture, ITestOutputHelper output)
    {
        this.fixture = fixture;
        lab = fixture.Lab;
        output.WriteLine($"SELinux layer laid over {fixture.WithStore.Name} in {fixture.ApplyTime.TotalMilliseconds:F0} ms" +
                         (SelinuxLayer.BuildTime > TimeSpan.Zero ? $" (built once in {SelinuxLayer.BuildTime.TotalSeconds:F0} s)" : ""));
    }

    private static SeBooleanParams Params(bool state = true, bool persistent = true, bool ignore = false, string name = "virt_use_nfs") =>
        new() { Name = name, State = state, Persistent = persistent, IgnoreSelinuxState = ignore };

    private async Task<string> StoreLineAsync() =>
        (await lab.ExecAsync(fixture.WithStore, "sh", "-c", "semanage boolean -l -n | grep '^virt_use_nfs '")).StdOut.Trim();

    [Fact]
    public async Task Persistent_On_Rerun_OffByHand_Drift_Repair()
    {
        var host = fixture.WithStore;
        await using var runner = await LabModuleRunner.ConnectAsync(lab, host);
        (await lab.ExecAsync(host, "setsebool", "-P", "virt_use_nfs", "off")).EnsureSuccess("start from off");

        var on = await runner.RunAsync(Module, Params());
        var stored = await StoreLineAsync();
        var local = (await lab.ExecAsync(host, "cat", "/var/lib/selinux/default/active/booleans.local")).StdOut;
        var again = await runner.RunAsync(Module, Params());
        (await lab.ExecAsync(host, "setsebool", "-P", "virt_use_nfs", "off")).EnsureSuccess("setsebool -P off by hand");
        var drift = await runner.RunAsync(Module, Params(), check: true);
        var repair = await runner.RunAsync(Module, Params());
        var repaired = await StoreLineAsync();

        on.Failed.Should().BeFalse(on.Message);
        on.Changed.Should().BeTrue();
        on.Steps.Single().Script.Should().Be("setsebool -P virt_use_nfs on");
        on.Warnings.Should().ContainSingle().Which.Should().Contain("SELinux is disabled on " + host.Name);
        on.Result["runtime"].Should().Be("SELinux is disabled: runtime value not applicable");
        stored.Should().StartWith("virt_use_nfs").And.Contain("(on   ,   on)");
        local.Should().Contain("virt_use_nfs=1");
        again.Changed.Should().BeFalse();
        again.Steps.Should().BeEmpty();
        drift.Changes.Where(c => c.IsChange).Should().ContainSingle().Which.Should().Match<Planning.ResourceChange>(c =>
            c.Resource == "seboolean virt_use_nfs (persistent)" && Equals(c.Before, "off") && Equals(c.After, "on"));
        drift.Message.Should().Be("would set virt_use_nfs to on (persistent)");
        repair.Changed.Should().BeTrue();
        repaired.Should().Contain("(on   ,   on)");
    }

    [Fact]
    public async Task UndefinedBoolean_FailsNamingIt()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, fixture.WithStore);

        var plan = await runner.RunAsync(Module, Params(name: "sf_no_such_boolean"));

        plan.Message.Should().Be($"{fixture.WithStore.Name}: SELinux boolean 'sf_no_such_boolean' is not defined in the policy store (semanage boolean -l does not list it)");
    }

    [Fact]
    public async Task RuntimeOnly_WithSelinuxDisabled_FailsNamingTheHost_OrIsSkipped()
    {
        await using var runner = await LabModuleRunner.ConnectAsync(lab, fixture.WithStore);

        var failed = await runner.RunAsync(Module, Params(persistent: false));
        var skipped = await runner.RunAsync(Module, Params(persistent: false, ignore: true));

        failed.Failed.Should().BeTrue();
        failed.Message.Should().StartWith($"{fixture.WithStore.Name}: SELinux is disabled: the runtime value of boolean 'virt_use_nfs' cannot be set");
        skipped.Skipped.Should().BeTrue();
        skipped.Failed.Should().BeFalse();
    }

    [Fact]
    public async Task NoSelinuxAtAll_FailsNamingTheHost_OrIsSkipped()
    {
        var host = fixture.WithoutSelinux;
        await using var runner = await LabModuleRunner.ConnectAsync(lab, host);

        var failed = await runner.RunAsync(Module, Params());
        var skipped = await runner.RunAsync(Module, Params(ignore: true));

        failed.Failed.Should().BeTrue();
        failed.Message.Should().StartWith($"{host.Name}: getsebool is not installed (no SELinux userland) and there is no SELinux policy store to manage boolean 'virt_use_nfs'");
        skipped.Skipped.Should().BeTrue();
        runner.Commands.Should().Be(2, "one fact batch per run, nothing applied");
    }
}
