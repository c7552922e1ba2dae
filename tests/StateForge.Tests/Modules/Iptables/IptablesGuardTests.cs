using StateForge.Modules.Host;

namespace StateForge.Tests.Modules.Iptables;

/// <summary>The lockout guard and validation: what is refused before any command is built.</summary>
public sealed class IptablesGuardTests
{
    private static readonly string[] SaveFilter = ["iptables-save", "-t", "filter"];
    private readonly IptablesModule module = new();

    private static CannedHost Host(string rules, string ssh = "10.0.0.1 50000 10.0.0.2 22\n10.0.0.1 dev eth0 src 10.0.0.2 uid 0\n") => new CannedHost()
        .Command(SaveFilter, "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" + rules + "COMMIT\n")
        .Probe("iptables:ssh-connection", ssh);

    [Fact]
    public async Task PolicyDrop_WithoutAnAcceptForSsh_IsRefused()
    {
        var plan = await Host("-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\n").PlanAsync(module, new { chain = "INPUT", policy = "DROP", persist = false });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be(
            "refused: after this change the filter table's INPUT chain would drop new connections of the SSH connection StateForge is using " +
            "(10.0.0.1:50000 -> 10.0.0.2:22 on eth0); add an ACCEPT for it first, or set allow_lockout: true");
        plan.Steps.Should().BeEmpty();
    }

    [Fact]
    public async Task PolicyDrop_WithAllowLockout_IsPlanned()
    {
        var plan = await Host("").PlanAsync(module, new { chain = "INPUT", policy = "DROP", persist = false, allow_lockout = true });

        plan.Failed.Should().BeFalse();
        plan.Steps.Single().Script.Should().Be("iptables -w -t filter -P INPUT DROP");
    }

    [Fact]
    public async Task PolicyDrop_WithRhelRules_KeepsSshAndIsAllowed()
    {
        var rhel = "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -i lo -j ACCEPT\n" +
                   "-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n";

        var plan = await Host(rhel).PlanAsync(module, new { chain = "INPUT", policy = "DROP", persist = false });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task DeletingTheSshAccept_IsRefused_EvenThroughAJumpToACustomChain()
    {
        var rules = "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -j OS_FIREWALL_ALLOW\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n" +
                    "-A OS_FIREWALL_ALLOW -s 10.0.0.0/24 -p tcp -m tcp --dport 22 -j ACCEPT\n";
        var host = Host(rules).Command(SaveFilter, "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:OS_FIREWALL_ALLOW - [0:0]\n" + rules + "COMMIT\n");

        var plan = await host.PlanAsync(module, new { chain = "OS_FIREWALL_ALLOW", source = "10.0.0.0/24", protocol = "tcp", destination_port = "22", jump = "ACCEPT", state = "absent", persist = false });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().StartWith("refused: after this change the filter table's INPUT chain would drop new connections");
    }

    [Fact]
    public async Task RuleForAnotherPort_DoesNotTripTheGuard()
    {
        var plan = await Host("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\n")
            .PlanAsync(module, new { chain = "INPUT", protocol = "tcp", destination_port = "80", jump = "ACCEPT", state = "absent", persist = false });

        plan.Failed.Should().BeFalse(plan.Message);
    }

    [Fact]
    public async Task DroppingTheReplies_InOutput_IsRefused()
    {
        var plan = await Host("").PlanAsync(module, new { chain = "OUTPUT", policy = "DROP", persist = false });

        plan.Message.Should().StartWith("refused: after this change the filter table's OUTPUT chain would drop the replies");
    }

    [Fact]
    public async Task MatchesTheGuardCannotEvaluate_Warn()
    {
        var plan = await Host("-A INPUT -m recent --rcheck --name ssh -j ACCEPT\n").PlanAsync(module, new { chain = "INPUT", protocol = "tcp", destination_port = "80", jump = "DROP", action = "insert", persist = false });

        plan.Failed.Should().BeFalse();
        plan.Warnings.Should().BeEmpty("the new rule is for port 80, before an unknown match; the ssh packets never reach DROP");

        var unknown = await Host("").PlanAsync(module, new { chain = "INPUT", match = new[] { "recent" }, jump = "DROP", action = "insert", persist = false });
        unknown.Failed.Should().BeFalse();
        unknown.Warnings.Should().ContainSingle().Which.Should().StartWith("cannot tell whether the filter table still accepts the SSH connection");
    }

    [Fact]
    public async Task LocalRun_WithoutSshConnection_HasNoGuard()
    {
        var plan = await Host("", ssh: "\n").PlanAsync(module, new { chain = "INPUT", policy = "DROP", persist = false });

        plan.Failed.Should().BeFalse();
    }

    [Theory]
    [InlineData("chain", "OS;touch /tmp/pwned")]
    [InlineData("chain", "$(touch /tmp/pwned)")]
    [InlineData("chain", "-X")]
    [InlineData("jump", "ACCEPT `touch /tmp/pwned`")]
    [InlineData("protocol", "tcp; touch /tmp/pwned")]
    [InlineData("source", "$(touch /tmp/pwned)")]
    [InlineData("source", "example.com")]
    [InlineData("destination", "10.0.0.1/33")]
    [InlineData("in_interface", "eth0 -j DROP")]
    [InlineData("out_interface", "eth0\n")]
    [InlineData("destination_port", "22;reboot")]
    [InlineData("destination_port", "70000")]
    [InlineData("comment", "two\nlines")]
    [InlineData("rule_num", "1 -j DROP")]
    [InlineData("persist_file", "relative/path")]
    [InlineData("jump_from", "INPUT'")]
    public void HostileOrBadValues_AreRejectedAtValidation(string parameter, string value)
    {
        var args = new Dictionary<string, object?>
        {
            ["chain"] = "OS_FIREWALL_ALLOW",
            ["protocol"] = "tcp",
            ["jump"] = "ACCEPT",
            ["action"] = "insert",
            ["chain_management"] = true,
        };
        args[parameter] = value;

        Errors(args).Should().ContainSingle().Which.Should().StartWith(parameter);
    }

    [Theory]
    [InlineData("ctstate", "NEW;reboot")]
    [InlineData("match", "state -j DROP")]
    [InlineData("destination_ports", "1,2;3")]
    public void HostileListItems_AreRejected(string parameter, string value)
    {
        var args = new Dictionary<string, object?> { ["chain"] = "INPUT", ["protocol"] = "tcp", ["jump"] = "ACCEPT", [parameter] = new List<object?> { value } };

        Errors(args).Should().NotBeEmpty();
    }

    [Fact]
    public void CrossFieldRules_AreChecked()
    {
        Errors(new() { ["chain"] = "INPUT", ["destination_port"] = "22", ["jump"] = "ACCEPT" }).Should().Contain(e => e.StartsWith("ports need protocol", StringComparison.Ordinal));
        Errors(new() { ["chain"] = "OS_FIREWALL_ALLOW", ["policy"] = "DROP" }).Should().Contain(e => e.StartsWith("policy is only for the built-in chains", StringComparison.Ordinal));
        Errors(new() { ["chain"] = "INPUT", ["policy"] = "DROP", ["jump"] = "ACCEPT" }).Should().Contain(e => e.StartsWith("policy cannot be combined", StringComparison.Ordinal));
        Errors(new() { ["chain"] = "INPUT", ["jump"] = "ACCEPT", ["rule_num"] = "2" }).Should().Equal("rule_num needs action: insert");
        Errors(new() { ["chain"] = "INPUT" }).Should().ContainSingle().Which.Should().StartWith("nothing to manage");
        Errors(new() { ["chain"] = "INPUT", ["chain_management"] = true }).Should().Contain(e => e.StartsWith("chain_management is for custom chains", StringComparison.Ordinal));
        Errors(new() { ["chain"] = "INPUT", ["jump"] = "ACCEPT", ["reject_with"] = "tcp-reset" }).Should().Equal("reject_with needs jump: REJECT");
        Errors(new() { ["chain"] = "INPUT", ["match"] = new List<object?> { "state" }, ["ctstate"] = new List<object?> { "DNAT" }, ["jump"] = "ACCEPT" })
            .Should().ContainSingle().Which.Should().Contain("with match state");
    }

    [Fact]
    public void HostileComment_IsAccepted_AndOnlyEverQuoted()
    {
        var args = new Dictionary<string, object?> { ["chain"] = "INPUT", ["jump"] = "ACCEPT", ["comment"] = "$(touch /tmp/pwned) `id`; \"x\" 'y'" };

        Errors(args).Should().BeEmpty();
    }

    [Fact]
    public async Task HostileComment_ReachesTheCommandAsOneQuotedWord()
    {
        var host = Host("");

        var plan = await host.PlanAsync(module, new { chain = "INPUT", jump = "ACCEPT", action = "insert", comment = "$(touch /tmp/pwned) `id`; 'y'", persist = false });

        plan.Steps.Single().Script.Should().Be(
            "iptables -w -t filter -A INPUT -m comment --comment '$(touch /tmp/pwned) `id`; '\"'\"'y'\"'\"'' -j ACCEPT");
    }

    private IReadOnlyList<string> Errors(Dictionary<string, object?> args) =>
        CannedHost.Errors(module, args);
}
