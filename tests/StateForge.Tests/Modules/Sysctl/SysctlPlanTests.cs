using StateForge.Facts;
using StateForge.Modules.Host;
using StateForge.Planning;
using StateForge.Tests.Modules.Iptables;

namespace StateForge.Tests.Modules.Sysctl;

/// <summary>
/// Planning against a RHEL-style sysctl.conf with duplicates and spaces around '=', and /proc/sys
/// probe outputs as captured on lab hosts ("present\n0", "present\n32768\t60999", "missing\n").
/// </summary>
public sealed class SysctlPlanTests
{
    private const string Conf = "/etc/sysctl.conf";
    private readonly SysctlModule module = new();

    private static CannedHost Host(string ipForward = "present\n0") => new CannedHost()
        .File(Conf, CannedHost.Fixture("rhel-duplicates.sysctl.conf"))
        .Probe("sysctl:/proc/sys/net/ipv4/ip_forward", ipForward)
        .Probe("sysctl:/proc/sys/net/ipv4/ip_local_port_range", "present\n32768\t60999")
        .Probe("sysctl:/proc/sys/net/ipv4/tcp_syncookies", "present\n1")
        .Probe("sysctl:/proc/sys/net/ipv4/conf/all/rp_filter", "present\n1")
        .Probe("sysctl:/proc/sys/fs/nfs/nlm_tcpport", "missing\n")
        .Probe("sysctl:/proc/sys/net/ipv4/route/flush", "unreadable\ncat: /proc/sys/net/ipv4/route/flush: Permission denied");

    [Fact]
    public async Task LastAssignmentWins_SoTheFileIsRight_ButTheRunningValueDrifts()
    {
        var plan = await Host().PlanAsync(module, new { name = "net.ipv4.ip_forward", value = "1" });

        plan.Changes.Select(c => (c.Resource, c.IsChange)).Should().Equal(
            ("sysctl net.ipv4.ip_forward runtime", true),
            ("sysctl net.ipv4.ip_forward file /etc/sysctl.conf", false));
        plan.Changes[0].Before.Should().Be("0");
        plan.Changes[0].After.Should().Be("1");
        plan.Steps.Should().ContainSingle().Which.Script.Should().StartWith("sf_err=$(sysctl -w net.ipv4.ip_forward=1 2>&1 >/dev/null)")
            .And.Contain("cat -- /proc/sys/net/ipv4/ip_forward");
        plan.Result["runtime_value"].Should().Be("0");
    }

    [Fact]
    public async Task NewValue_EditsTheLastAssignmentInPlace_AndDropsTheEarlierDuplicate()
    {
        var host = Host();

        var plan = await host.PlanAsync(module, new { name = "net.ipv4.ip_forward", value = "0" });

        plan.Changes.Select(c => c.IsChange).Should().Equal(false, true);
        var expected = CannedHost.Fixture("rhel-duplicates.sysctl.conf")
            .Replace("net.ipv4.ip_forward = 0\n", "", StringComparison.Ordinal)
            .Replace("net.ipv4.ip_forward=1\n", "net.ipv4.ip_forward=0\n", StringComparison.Ordinal);
        Text(host).Should().Be(expected);
        plan.Changes[1].Diff.Should().Be(
            "--- before: /etc/sysctl.conf\n+++ after: /etc/sysctl.conf\n" +
            "@@ -2,11 +2,10 @@\n" +
            " # /usr/lib/sysctl.d/, /run/sysctl.d/, and /etc/sysctl.d/.\n #\n # For more information, see sysctl.conf(5) and sysctl.d(5).\n" +
            "-net.ipv4.ip_forward = 0\n kernel.sysrq=16\n ; an old setting, kept for reference\n net.ipv4.ip_local_port_range =\t32768\t60999\n" +
            " -net.ipv4.conf.all.rp_filter = 1\n vm.swappiness = 60\n-net.ipv4.ip_forward=1\n+net.ipv4.ip_forward=0\n    net.ipv4.tcp_syncookies   =   1\n");
        plan.Steps.Single().Description.Should().Be("write /etc/sysctl.conf");
    }

    [Fact]
    public async Task SpacingAroundTheEqualsSign_IsKept()
    {
        var host = Host();

        await host.PlanAsync(module, new { name = "net.ipv4.tcp_syncookies", value = "0" });

        Text(host).Should().Contain("\n   net.ipv4.tcp_syncookies   =   0\n");
    }

    [Fact]
    public async Task WhitespaceInMultiValueKeys_IsNotDrift()
    {
        var plan = await Host().PlanAsync(module, new { name = "net.ipv4.ip_local_port_range", value = "32768 60999" });

        plan.Changed.Should().BeFalse();
    }

    [Fact]
    public async Task KeyAfterADash_IsStillTheKey()
    {
        var host = Host();

        var plan = await host.PlanAsync(module, new { name = "net.ipv4.conf.all.rp_filter", value = "2", reload = false });

        Text(host).Should().Contain("\n-net.ipv4.conf.all.rp_filter = 2\n");
        plan.Steps.Should().ContainSingle();
    }

    [Fact]
    public async Task NewKey_IsAppended_AndBooleansMeanOneAndZero()
    {
        var host = Host().Probe("sysctl:/proc/sys/net/ipv4/ip_nonlocal_bind", "present\n0");

        var plan = await host.PlanAsync(module, new { name = "net.ipv4.ip_nonlocal_bind", value = "yes" });

        Text(host).Should().EndWith("   net.ipv4.tcp_syncookies   =   1\nnet.ipv4.ip_nonlocal_bind = 1\n");
        plan.Result["value"].Should().Be("1");
        plan.Steps.Select(s => s.Description).Should().Equal("sysctl -w net.ipv4.ip_nonlocal_bind=1", "write /etc/sysctl.conf");
    }

    [Fact]
    public async Task Absent_RemovesEveryAssignment_AndLeavesTheRunningValue()
    {
        var host = Host();

        var plan = await host.PlanAsync(module, new { name = "net.ipv4.ip_forward", state = "absent" });

        Text(host).Should().NotContain("ip_forward");
        plan.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Delete);
        plan.Steps.Should().ContainSingle();
    }

    [Fact]
    public async Task MissingKey_FailsClearly_NamingTheHostAndThePath()
    {
        var plan = await Host().PlanAsync(module, new { name = "fs.nfs.nlm_tcpport", value = "53248" });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be(
            "sysctl key fs.nfs.nlm_tcpport does not exist on canned: /proc/sys/fs/nfs/nlm_tcpport is missing (the kernel module that provides it is not loaded?); " +
            "load it first, or set ignore_missing: true to only persist the key");
    }

    [Fact]
    public async Task MissingKey_WithIgnoreMissing_IsPersistedWithAWarning()
    {
        var host = Host();

        var plan = await host.PlanAsync(module, new { name = "fs.nfs.nlm_tcpport", value = "53248", ignoreerrors = true });

        plan.Failed.Should().BeFalse();
        plan.Warnings.Should().ContainSingle().Which.Should().StartWith("fs.nfs.nlm_tcpport does not exist in the running kernel");
        plan.Steps.Should().ContainSingle().Which.Description.Should().Be("write /etc/sysctl.conf");
        Text(host).Should().EndWith("fs.nfs.nlm_tcpport = 53248\n");
    }

    [Fact]
    public async Task UnreadableKey_Fails()
    {
        var plan = await Host().PlanAsync(module, new { name = "net.ipv4.route.flush", value = "1" });

        plan.Message.Should().Be("cannot read sysctl key net.ipv4.route.flush on canned: cat: /proc/sys/net/ipv4/route/flush: Permission denied");
    }

    [Fact]
    public async Task ReloadFalse_DoesNotLookAtTheRunningKernel()
    {
        var host = Host();

        var plan = await host.PlanAsync(module, new { name = "net.ipv4.ip_forward", value = "0", reload = false });

        host.Fetched.Should().NotContain(k => k.StartsWith("sysctl:", StringComparison.Ordinal));
        plan.Changes.Should().ContainSingle().Which.Resource.Should().Be("sysctl net.ipv4.ip_forward file /etc/sysctl.conf");
    }

    [Fact]
    public async Task SlashForm_IsTheSameKey()
    {
        var plan = await Host("present\n1").PlanAsync(module, new { name = "net/ipv4/ip_forward", value = "1" });

        plan.Changed.Should().BeFalse();
        plan.Result["name"].Should().Be("net.ipv4.ip_forward");
    }

    [Fact]
    public async Task CheckMode_SimulatesBothFacts_SoTheNextPlanSeesNoDrift()
    {
        var host = Host();

        (await host.PlanAsync(module, new { name = "net.ipv4.ip_forward", value = "0", sysctl_file = "/etc/sysctl.d/90-x.conf" }, checkMode: true))
            .Changes.Select(c => c.Action).Should().Equal(ChangeAction.None, ChangeAction.Create);
        (await host.PlanAsync(module, new { name = "net.ipv4.ip_forward", value = "0", sysctl_file = "/etc/sysctl.d/90-x.conf" }, checkMode: true))
            .Changed.Should().BeFalse();
        var fresh = await host.PlanAsync(module, new { name = "net.ipv4.ip_forward", value = "1", sysctl_file = "/etc/sysctl.d/90-x.conf" });
        fresh.Steps.Select(s => s.Description).Should().Equal("sysctl -w net.ipv4.ip_forward=1", "write /etc/sysctl.d/90-x.conf");
    }

    [Fact]
    public async Task NewFile_GetsItsDirectoryAndMode0644()
    {
        var plan = await Host("present\n1").PlanAsync(module, new { name = "net.ipv4.ip_forward", value = "1", sysctl_file = "/etc/sysctl.d/90-forward.conf" });

        plan.Steps.Select(s => s.Description).Should().Equal("create directory of /etc/sysctl.d/90-forward.conf", "write /etc/sysctl.d/90-forward.conf");
        plan.Steps[1].Script.Should().Contain("chmod -- 00644");
    }

    [Theory]
    [InlineData("net.ipv4.ip_forward;touch /tmp/pwned")]
    [InlineData("$(touch /tmp/pwned)")]
    [InlineData("net/../../../etc/passwd")]
    [InlineData("net..ipv4")]
    [InlineData("net.ipv4.ip_forward\n")]
    [InlineData("net ipv4")]
    [InlineData("`id`")]
    public void HostileNames_AreRejected(string name)
    {
        CannedHost.Errors(module, new { name, value = "1" }).Should().ContainSingle().Which.Should().StartWith("name");
    }

    [Fact]
    public async Task HostileValue_IsOneQuotedWord_OrRejectedWhenMultiline()
    {
        CannedHost.Errors(module, new { name = "net.ipv4.ip_forward", value = "1\nkernel.panic=1" }).Should().Equal("value must be one line (no newlines or control characters)");

        var plan = await Host().PlanAsync(module, new { name = "net.ipv4.ip_forward", value = "$(touch /tmp/pwned) `id`; 'q'" });

        plan.Steps[0].Script.Should().StartWith("sf_err=$(sysctl -w 'net.ipv4.ip_forward=$(touch /tmp/pwned) `id`; '\"'\"'q'\"'\"'' 2>&1 >/dev/null)");
    }

    private static string Text(CannedHost host) =>
        host.Facts.GetAsync<FileState>(new FileProbe(Conf, WithContent: true), CancellationToken.None).AsTask().Result.Text!;
}
