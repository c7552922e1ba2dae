using StateForge.Modules.Host;
using static StateForge.Lab.Modules.ModuleDriver;

namespace StateForge.Lab.Modules;

/// <summary>
/// The sysctl module on a real host (host2 of the shared lab): net.* keys are the host's own,
/// vm.* are read-only there and fs.nfs.* do not exist, so every path is real.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class SysctlModuleLabTests(LabFixture fixture) : IAsyncLifetime
{
    private const string File = "/etc/sysctl.d/90-stateforge-test.conf";
    private readonly LabHosts lab = fixture.Lab;
    private readonly SysctlModule module = new();
    private ModuleDriver host = null!;

    private LabHost Host => lab.Hosts[1];

    public async Task InitializeAsync()
    {
        host = await ConnectAsync(lab, Host);
        await host.ExecAsync("sh", "-c", "sysctl -qw net.ipv4.ip_forward=0 && rm -f \"$1\" /tmp/pwned", "sh", File);
    }

    public async Task DisposeAsync() =>
        await lab.ExecAsync(Host, "sh", "-c", "sysctl -qw net.ipv4.ip_forward=0; rm -f \"$1\" /tmp/pwned", "sh", File);

    private static IReadOnlyDictionary<string, object?> Forward(string value) => Args("name", "net.ipv4.ip_forward", "value", value, "sysctl_file", File);

    [Fact]
    public async Task IpForward_AppliedVerifiedIdempotent_DriftInRuntimeAndFileSeparately_Repaired()
    {
        var applied = await host.ApplyAsync(module, Forward("1"));

        applied.Failed.Should().BeFalse(applied.Message);
        Summary(applied).Should().Equal(("sysctl net.ipv4.ip_forward runtime", true), ($"sysctl net.ipv4.ip_forward file {File}", true));
        (await host.ExecAsync("sysctl", "-n", "net.ipv4.ip_forward")).Should().Be("1\n");
        (await host.ExecAsync("cat", File)).Should().Be("net.ipv4.ip_forward = 1\n");
        host.Refresh();
        (await host.PlanAsync(module, Forward("1"))).Changed.Should().BeFalse();

        await host.ExecAsync("sysctl", "-qw", "net.ipv4.ip_forward=0");
        host.Refresh();
        Summary(await host.PlanAsync(module, Forward("1"), checkMode: true)).Should().Equal(
            ("sysctl net.ipv4.ip_forward runtime", true), ($"sysctl net.ipv4.ip_forward file {File}", false));
        await host.WriteAsync(File, "# by hand\nnet.ipv4.ip_forward=1\nnet.ipv4.ip_forward  =  0\n");
        await host.ExecAsync("sysctl", "-qw", "net.ipv4.ip_forward=1");
        host.Refresh();
        Summary(await host.PlanAsync(module, Forward("1"), checkMode: true)).Should().Equal(
            ("sysctl net.ipv4.ip_forward runtime", false), ($"sysctl net.ipv4.ip_forward file {File}", true));

        host.Refresh();
        (await host.ApplyAsync(module, Forward("1"))).Changed.Should().BeTrue();
        (await host.ExecAsync("cat", File)).Should().Be("# by hand\nnet.ipv4.ip_forward  =  1\n");
        host.Refresh();
        (await host.PlanAsync(module, Forward("1"))).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task MultiValueKey_ComparesWithWhitespaceNormalised()
    {
        var now = (await host.ExecAsync("cat", "/proc/sys/net/ipv4/ip_local_port_range")).Trim();

        var plan = await host.PlanAsync(module, Args("name", "net.ipv4.ip_local_port_range", "value", now.Replace("\t", "   ", StringComparison.Ordinal), "sysctl_file", File));

        Summary(plan).Should().Equal(("sysctl net.ipv4.ip_local_port_range runtime", false), ($"sysctl net.ipv4.ip_local_port_range file {File}", true));
    }

    [Fact]
    public async Task KeyTheKernelLacks_FailsClearly_OrWithIgnoreMissingIsPersistedWithAWarning()
    {
        var failed = await host.ApplyAsync(module, Args("name", "fs.nfs.nlm_tcpport", "value", "53248", "sysctl_file", File));

        failed.Failed.Should().BeTrue();
        failed.Message.Should().StartWith($"sysctl key fs.nfs.nlm_tcpport does not exist on {Host.Name}: /proc/sys/fs/nfs/nlm_tcpport is missing");
        (await host.ExistsAsync(File)).Should().BeFalse();

        var persisted = await host.ApplyAsync(module, Args("name", "fs.nfs.nlm_tcpport", "value", "53248", "sysctl_file", File, "ignore_missing", true));

        persisted.Failed.Should().BeFalse(persisted.Message);
        persisted.Warnings.Should().ContainSingle().Which.Should().StartWith("fs.nfs.nlm_tcpport does not exist in the running kernel");
        (await host.ExecAsync("cat", File)).Should().Be("fs.nfs.nlm_tcpport = 53248\n");
    }

    [Fact]
    public async Task ReadOnlyKey_FailsWithSysctlsOwnMessage_AfterReadingBack_AndTheFileIsNotWritten()
    {
        var current = (await host.ExecAsync("cat", "/proc/sys/vm/swappiness")).Trim();
        var other = current == "10" ? "11" : "10";

        var failed = await host.ApplyAsync(module, Args("name", "vm.swappiness", "value", other, "sysctl_file", File));

        failed.Failed.Should().BeTrue();
        failed.Message.Should().Contain("sysctl: permission denied on key \"vm.swappiness\"")
            .And.Contain($"vm.swappiness reads \"{current}\" after sysctl -w (exit");
        (await host.ExistsAsync(File)).Should().BeFalse("the running value is set first; a refused value is not persisted");
    }

    [Fact]
    public async Task HostileValues_AreRejectedOrPassedLiterally_AndNoCommandRunsFromThem()
    {
        foreach (var name in new[] { "net.ipv4.ip_forward;touch /tmp/pwned", "$(touch /tmp/pwned)", "net/../../../tmp/pwned", "`touch /tmp/pwned`" })
        {
            Errors(module, Args("name", name, "value", "1")).Should().NotBeEmpty(name);
        }

        Errors(module, Args("name", "net.ipv4.ip_forward", "value", "1\ntouch /tmp/pwned")).Should().NotBeEmpty();
        Errors(module, Args("name", "net.ipv4.ip_forward", "value", "1", "sysctl_file", "x;touch /tmp/pwned")).Should().NotBeEmpty();

        var hostile = "$(touch /tmp/pwned) `touch /tmp/pwned`; touch /tmp/pwned 'q' \"q\"";
        var failed = await host.ApplyAsync(module, Forward(hostile));

        failed.Failed.Should().BeTrue();
        failed.Message.Should().Contain("Invalid argument");
        (await host.ExistsAsync("/tmp/pwned")).Should().BeFalse();
        (await host.ExistsAsync(File)).Should().BeFalse();

        // A failed task leaves its simulated facts behind (the engine stops the host); a new run reads them again.
        host.Refresh();
        var literal = await host.ApplyAsync(module, Args("name", "net.ipv4.ip_forward", "value", hostile, "sysctl_file", File, "reload", false));
        literal.Failed.Should().BeFalse(literal.Message);
        (await host.ExecAsync("cat", File)).Should().Be($"net.ipv4.ip_forward = {hostile}\n");
        (await host.ExistsAsync("/tmp/pwned")).Should().BeFalse();

        var oddFile = "/tmp/$(touch /tmp/pwned) `touch /tmp/pwned`;x.conf";
        var odd = await host.ApplyAsync(module, Args("name", "net.ipv4.ip_forward", "value", "1", "sysctl_file", oddFile));
        odd.Failed.Should().BeFalse(odd.Message);
        (await host.ExecAsync("cat", oddFile)).Should().Be("net.ipv4.ip_forward = 1\n");
        (await host.ExistsAsync("/tmp/pwned")).Should().BeFalse();
        (await host.ExecAsync("rm", "-f", oddFile)).Should().BeEmpty();
    }
}
