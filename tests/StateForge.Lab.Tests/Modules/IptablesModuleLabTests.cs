using StateForge.Modules.Host;
using static StateForge.Lab.Modules.ModuleDriver;

namespace StateForge.Lab.Modules;

/// <summary>The iptables module on a real host's tables and rules file (host1 of the shared lab; restored afterwards).</summary>
[Collection(LabCollection.Name)]
public sealed class IptablesModuleLabTests(LabFixture fixture) : IAsyncLifetime
{
    private const string File = "/etc/sysconfig/iptables";
    private const string Chain = "OS_FIREWALL_ALLOW";
    private static readonly string[] NfsPorts = ["111", "2049", "20048", "50825", "53248"];

    private const string RhelStock =
        "# sample configuration for iptables service\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" +
        "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p icmp -j ACCEPT\n-A INPUT -i lo -j ACCEPT\n" +
        "-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n" +
        "-A FORWARD -j REJECT --reject-with icmp-host-prohibited\nCOMMIT\n";

    private readonly LabHosts lab = fixture.Lab;
    private readonly IptablesModule module = new();
    private ModuleDriver host = null!;

    private LabHost Host => lab.Hosts[0];

    public async Task InitializeAsync()
    {
        host = await ConnectAsync(lab, Host);
        await host.WriteAsync(File, RhelStock);
        await host.ExecAsync("sh", "-c", "iptables-restore < \"$1\" && rm -f /tmp/pwned", "sh", File);
    }

    public async Task DisposeAsync() =>
        await lab.ExecAsync(Host, "sh", "-c", "iptables -P INPUT ACCEPT; iptables -P OUTPUT ACCEPT; iptables -F; iptables -X; rm -rf /etc/sysconfig /tmp/pwned");

    private static IReadOnlyDictionary<string, object?> Nfs(string port, string? ctstateAs = "state") => Args(
        "chain", Chain, "action", "insert", "protocol", "tcp", "match", ctstateAs is null ? Array.Empty<string>() : [ctstateAs],
        "ctstate", new[] { "NEW" }, "destination_port", port, "jump", "ACCEPT", "persist_file", File);

    private static readonly IReadOnlyDictionary<string, object?> ManageChain = Args("chain", Chain, "chain_management", true, "persist_file", File);

    [Fact]
    public async Task NfsPorts_LandBeforeTheFinalReject_AtRuntimeAndAtTheTopOfTheChainInTheFile_ThenDriftIsSeenAndRepaired()
    {
        (await host.ApplyAsync(module, ManageChain)).Changed.Should().BeTrue();
        foreach (var port in NfsPorts)
        {
            var applied = await host.ApplyAsync(module, Nfs(port));
            applied.Failed.Should().BeFalse(applied.Message);
            applied.Changed.Should().BeTrue();
        }

        var save = await host.ExecAsync("iptables-save", "-t", "filter");
        var input = Lines(save, "-A INPUT");
        input[^2].Should().Be("-A INPUT -j OS_FIREWALL_ALLOW");
        input[^1].Should().Be("-A INPUT -j REJECT --reject-with icmp-host-prohibited");
        var expected = NfsPorts.Reverse().Select(p => $"-A {Chain} -p tcp -m state --state NEW -m tcp --dport {p} -j ACCEPT").ToList();
        Lines(save, "-A " + Chain).Should().Equal(expected);
        var file = await host.ExecAsync("cat", File);
        Lines(file, "-A " + Chain).Should().Equal(expected, "the file has the same rules, in the same order, as iptables-save");
        file.Should().StartWith("# sample configuration for iptables service\n*filter\n")
            .And.Contain(":OUTPUT ACCEPT [0:0]\n:OS_FIREWALL_ALLOW - [0:0]\n")
            .And.Contain("--dport 22 -j ACCEPT\n-A INPUT -j OS_FIREWALL_ALLOW\n-A INPUT -j REJECT");
        await host.ExecAsync("sh", "-c", "iptables-restore --test < \"$1\"", "sh", File);

        host.Refresh();
        (await host.PlanAsync(module, ManageChain)).Changed.Should().BeFalse();
        foreach (var port in NfsPorts)
        {
            (await host.PlanAsync(module, Nfs(port))).Changed.Should().BeFalse($"port {port} is in place");
        }

        var asConntrack = await host.ApplyAsync(module, Nfs("2049", ctstateAs: null));
        asConntrack.Changed.Should().BeFalse("-m conntrack --ctstate NEW is the rule that exists as -m state --state NEW");
        Lines(await host.ExecAsync("iptables-save", "-t", "filter"), "-A " + Chain).Should().HaveCount(5);

        await host.ExecAsync("iptables", "-D", Chain, "-p", "tcp", "-m", "state", "--state", "NEW", "-m", "tcp", "--dport", "2049", "-j", "ACCEPT");
        await host.ExecAsync("sed", "-i", "/--dport 111 /d", File);
        host.Refresh();
        Summary(await host.PlanAsync(module, Nfs("2049"), checkMode: true)).Should().Equal(
            ($"iptables filter/{Chain} runtime: -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT", true),
            ($"iptables filter/{Chain} file {File}: -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT", false));
        Summary(await host.PlanAsync(module, Nfs("111"), checkMode: true)).Should().Equal(
            ($"iptables filter/{Chain} runtime: -p tcp -m state --state NEW -m tcp --dport 111 -j ACCEPT", false),
            ($"iptables filter/{Chain} file {File}: -p tcp -m state --state NEW -m tcp --dport 111 -j ACCEPT", true));

        host.Refresh();
        (await host.ApplyAsync(module, Nfs("2049"))).Changed.Should().BeTrue();
        (await host.ApplyAsync(module, Nfs("111"))).Changed.Should().BeTrue();
        host.Refresh();
        (await host.PlanAsync(module, Nfs("2049"))).Changed.Should().BeFalse();
        (await host.PlanAsync(module, Nfs("111"))).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task AppendAfterTheReject_AndPolicyDropWithoutSshAccept_AreRefused_AndNothingRuns()
    {
        var append = await host.ApplyAsync(module, Args("chain", "INPUT", "protocol", "tcp", "destination_port", "2049", "jump", "ACCEPT", "persist_file", File));
        append.Failed.Should().BeTrue();
        append.Message.Should().Contain("after the final rule 5 (-A INPUT -j REJECT --reject-with icmp-host-prohibited)");

        await host.ExecAsync("iptables", "-F", "INPUT");
        host.Refresh();
        var drop = await host.ApplyAsync(module, Args("chain", "INPUT", "policy", "DROP", "persist", false));
        drop.Failed.Should().BeTrue();
        drop.Message.Should().StartWith("refused: after this change the filter table's INPUT chain would drop new connections of the SSH connection StateForge is using")
            .And.Contain($":22 on eth0");
        (await host.ExecAsync("iptables", "-S", "INPUT")).Should().Be("-P INPUT ACCEPT\n");
        (await host.ExecAsync("cat", File)).Should().Be(RhelStock);
    }

    [Fact]
    public async Task HostileValues_AreRejectedOrPassedLiterally_AndNoCommandRunsFromThem()
    {
        const string Marker = "/tmp/pwned";
        foreach (var (name, value) in new[]
        {
            ("chain", "X;touch /tmp/pwned"), ("jump", "$(touch /tmp/pwned)"), ("protocol", "tcp`touch /tmp/pwned`"),
            ("source", "10.0.0.1;touch /tmp/pwned"), ("destination", "$(touch /tmp/pwned)"), ("in_interface", "eth0 /tmp/pwned"),
            ("out_interface", "'eth0'"), ("destination_port", "22\ntouch /tmp/pwned"), ("comment", "a\nb"), ("jump_from", "INPUT;x"),
            ("persist_file", "x;touch /tmp/pwned"), ("rule_num", "1;touch /tmp/pwned"), ("source_port", "$(touch /tmp/pwned)"),
            ("reject_with", "tcp-reset;touch /tmp/pwned"), ("policy", "DROP;touch /tmp/pwned"), ("table", "filter;touch /tmp/pwned"),
            ("action", "insert`touch /tmp/pwned`"), ("state", "present;x"),
        })
        {
            var args = new Dictionary<string, object?>(Args("chain", "INPUT", "protocol", "tcp", "jump", "ACCEPT", "action", "insert")) { [name] = value };
            Errors(module, args).Should().NotBeEmpty($"{name} = {value} is refused");
        }

        var comment = "$(touch /tmp/pwned) `touch /tmp/pwned`; touch /tmp/pwned \"q\" 'q' \\";
        var applied = await host.ApplyAsync(module, Args("chain", "INPUT", "action", "insert", "protocol", "tcp", "destination_port", "4711", "jump", "ACCEPT", "comment", comment, "persist_file", File));

        applied.Failed.Should().BeFalse(applied.Message);
        (await host.ExistsAsync(Marker)).Should().BeFalse();
        var rule = IptablesRuleText(comment);
        Lines(await host.ExecAsync("iptables-save", "-t", "filter"), "-A INPUT")[0].Should().Be(rule);
        Lines(await host.ExecAsync("cat", File), "-A INPUT")[0].Should().Be(rule);
        await host.ExecAsync("sh", "-c", "iptables-restore --test < \"$1\"", "sh", File);
        host.Refresh();
        (await host.PlanAsync(module, Args("chain", "INPUT", "action", "insert", "protocol", "tcp", "destination_port", "4711", "jump", "ACCEPT", "comment", comment, "persist_file", File)))
            .Changed.Should().BeFalse("the comment read back from iptables-save and from the file is the same text");

        var oddFile = "/tmp/$(touch /tmp/pwned) `touch /tmp/pwned`;x";
        (await host.ApplyAsync(module, Args("chain", "INPUT", "action", "insert", "protocol", "tcp", "destination_port", "4711", "jump", "ACCEPT", "comment", comment, "persist_file", oddFile)))
            .Failed.Should().BeFalse();
        Lines(await host.ExecAsync("cat", oddFile), "-A INPUT").Should().Equal(rule);
        (await host.ExistsAsync(Marker)).Should().BeFalse();
    }

    private static string IptablesRuleText(string comment) =>
        "-A INPUT -p tcp -m tcp --dport 4711 -m comment --comment \"" +
        comment.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) +
        "\" -j ACCEPT";

    private static List<string> Lines(string text, string prefix) =>
        [.. text.Split('\n').Where(l => l.StartsWith(prefix + " ", StringComparison.Ordinal))];
}
