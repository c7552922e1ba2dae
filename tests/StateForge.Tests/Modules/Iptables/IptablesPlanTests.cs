using StateForge.Facts;
using StateForge.Modules.Host;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Tests.Modules.Iptables;

/// <summary>Planning against captured RHEL inputs: /etc/sysconfig/iptables and what iptables-save printed for it.</summary>
public sealed class IptablesPlanTests
{
    private const string Sysconfig = "/etc/sysconfig/iptables";
    private static readonly string[] SaveFilter = ["iptables-save", "-t", "filter"];
    private static readonly string[] NfsPorts = ["111", "2049", "20048", "50825", "53248"];
    private readonly IptablesModule module = new();

    /// <summary>An OpenShift node: OS_FIREWALL_ALLOW exists, INPUT jumps to it before the final REJECT, a nat section.</summary>
    private static CannedHost Node(string? runtime = null, string? file = null) => new CannedHost()
        .Command(SaveFilter, runtime ?? CannedHost.Fixture("openshift-node.iptables-save-filter.txt"))
        .File(Sysconfig, file ?? CannedHost.Fixture("openshift-node.sysconfig"))
        .Directory("/etc/sysconfig")
        .Probe("iptables:ssh-connection", "10.0.0.1 50000 10.0.0.2 22\n10.0.0.1 dev eth0 src 10.0.0.2 uid 0\n");

    /// <summary>A stock RHEL 7 host: no OS_FIREWALL_ALLOW yet, INPUT ends with REJECT.</summary>
    private static CannedHost Stock() => Node(CannedHost.Fixture("rhel7-stock.iptables-save-filter.txt"), CannedHost.Fixture("rhel7-stock.sysconfig"));

    private static object NfsRule(string port, string action = "insert") => new
    {
        chain = "OS_FIREWALL_ALLOW",
        action,
        protocol = "tcp",
        match = new[] { "state" },
        ctstate = new[] { "NEW" },
        destination_port = port,
        jump = "ACCEPT",
    };

    [Fact]
    public async Task InsertNfsPort_AddsItFirstInTheRuntimeChain_AndAtTheTopOfTheChainInTheFile()
    {
        var host = Node();

        var plan = await host.PlanAsync(module, NfsRule("2049"));

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changes.Where(c => c.IsChange).Select(c => c.Resource).Should().Equal(
            "iptables filter/OS_FIREWALL_ALLOW runtime: -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT",
            "iptables filter/OS_FIREWALL_ALLOW file /etc/sysconfig/iptables: -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT");
        plan.Steps[0].Script.Should().Be("iptables -w -t filter -I OS_FIREWALL_ALLOW 1 -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT");
        plan.Steps[1].Description.Should().Be("write " + Sysconfig);
        var file = Text(host, Sysconfig).Split('\n');
        var first = Array.FindIndex(file, l => l.StartsWith("-A OS_FIREWALL_ALLOW", StringComparison.Ordinal));
        file[first].Should().Be("-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT");
        file[first + 1].Should().Contain("--dport 10250");
        plan.Changes[1].Diff.Should().Contain("+-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT")
            .And.StartWith("--- before: /etc/sysconfig/iptables\n+++ after: /etc/sysconfig/iptables\n");
        plan.Changes[0].Diff.Should().Contain("+-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT");
    }

    [Fact]
    public async Task FileEdit_ChangesOnlyTheOneLine_KeepingCommentsAndTheNatSection()
    {
        var host = Node();
        var original = CannedHost.Fixture("openshift-node.sysconfig");

        await host.PlanAsync(module, NfsRule("2049"));

        var lines = Text(host, Sysconfig).Split('\n').ToList();
        lines.Remove("-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT").Should().BeTrue();
        string.Join('\n', lines).Should().Be(original);
    }

    [Fact]
    public async Task LoopOfFivePorts_ComposesThroughSimulatedFacts_AndASecondRunPlansNothing()
    {
        var host = Node();

        foreach (var port in NfsPorts)
        {
            var plan = await host.PlanAsync(module, NfsRule(port), checkMode: true);
            plan.Changes.Count(c => c.IsChange).Should().Be(2, $"port {port} is new at runtime and in the file");
        }

        host.Fetched.Count(k => k.StartsWith("cmd:", StringComparison.Ordinal)).Should().Be(1, "one iptables-save for the whole loop");
        var runtime = await host.Facts.GetAsync<CommandResult>(new CommandProbe("iptables-save", SaveFilter), CancellationToken.None);
        var chain = runtime.Stdout.Split('\n').Where(l => l.StartsWith("-A OS_FIREWALL_ALLOW", StringComparison.Ordinal)).ToList();
        chain.Take(5).Should().Equal(NfsPorts.Reverse().Select(p => $"-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport {p} -j ACCEPT"));
        chain.Skip(5).Should().HaveCount(4, "the four rules that were there stay, after ours");
        var file = Text(host, Sysconfig).Split('\n').Where(l => l.StartsWith("-A OS_FIREWALL_ALLOW", StringComparison.Ordinal));
        file.Should().Equal(chain, "the file's chain reads like the runtime one");

        foreach (var port in NfsPorts)
        {
            (await host.PlanAsync(module, NfsRule(port))).Changed.Should().BeFalse($"port {port} is in place in both");
        }
    }

    [Fact]
    public async Task RuleAskedAsCtstate_WhenItExistsWithMState_IsNotDuplicated()
    {
        var host = Node();

        var plan = await host.PlanAsync(module, new { chain = "OS_FIREWALL_ALLOW", protocol = "tcp", ctstate = new[] { "NEW" }, destination_port = "10250", jump = "ACCEPT" });

        plan.Changed.Should().BeFalse();
        plan.Steps.Should().BeEmpty();
        plan.Changes.Select(c => c.Resource).Should().Equal(
            "iptables filter/OS_FIREWALL_ALLOW runtime: -p tcp -m conntrack --ctstate NEW -m tcp --dport 10250 -j ACCEPT",
            "iptables filter/OS_FIREWALL_ALLOW file /etc/sysconfig/iptables: -p tcp -m conntrack --ctstate NEW -m tcp --dport 10250 -j ACCEPT");
    }

    [Fact]
    public async Task AppendToInput_AfterTheFinalReject_IsRefused()
    {
        var plan = await Stock().PlanAsync(module, new { chain = "INPUT", protocol = "tcp", destination_port = "2049", jump = "ACCEPT" });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be(
            "filter/INPUT: appending the rule would put it after the final rule 5 (-A INPUT -j REJECT --reject-with icmp-host-prohibited), " +
            "where it never matches; use action: insert (optionally with rule_num) to place it before that rule");
    }

    [Fact]
    public async Task InsertWithRuleNum_PlacesTheRuleJustBeforeTheReject()
    {
        var host = Stock();

        var plan = await host.PlanAsync(module, new { chain = "INPUT", action = "insert", rule_num = 5, protocol = "tcp", destination_port = "2049", jump = "ACCEPT" });

        plan.Steps[0].Script.Should().Be("iptables -w -t filter -I INPUT 5 -p tcp -m tcp --dport 2049 -j ACCEPT");
        var input = Text(host, Sysconfig).Split('\n').Where(l => l.StartsWith("-A INPUT", StringComparison.Ordinal)).ToList();
        input[4].Should().Be("-A INPUT -p tcp -m tcp --dport 2049 -j ACCEPT");
        input[5].Should().Be("-A INPUT -j REJECT --reject-with icmp-host-prohibited");
    }

    [Fact]
    public async Task RuleAtTheWrongPosition_IsPositionDrift_MovedWithDeleteAndInsert()
    {
        var host = Node();

        var plan = await host.PlanAsync(module, new { chain = "OS_FIREWALL_ALLOW", action = "insert", rule_num = 1, protocol = "tcp", match = new[] { "state" }, ctstate = new[] { "NEW" }, destination_port = "443", jump = "ACCEPT" });

        plan.Steps.Select(s => s.Script).Take(2).Should().Equal(
            "iptables -w -t filter -D OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 443 -j ACCEPT",
            "iptables -w -t filter -I OS_FIREWALL_ALLOW 1 -p tcp -m state --state NEW -m tcp --dport 443 -j ACCEPT");
        plan.Changes[0].Before.Should().Be("rule 3 of 4");
        plan.Changes[0].After.Should().Be("rule 1 of 4");
        plan.Changes[0].Action.Should().Be(ChangeAction.Modify);
    }

    [Fact]
    public async Task ChainManagement_CreatesTheChain_AndTheJumpBeforeTheReject_AtRuntimeAndInTheFile()
    {
        var host = Stock();

        var plan = await host.PlanAsync(module, new { chain = "OS_FIREWALL_ALLOW", chain_management = true });

        plan.Steps.Select(s => s.Script).Take(2).Should().Equal(
            "iptables -w -t filter -N OS_FIREWALL_ALLOW",
            "iptables -w -t filter -I INPUT 5 -j OS_FIREWALL_ALLOW");
        plan.Changes.Where(c => c.IsChange).Select(c => c.Resource).Should().Equal(
            "iptables filter/OS_FIREWALL_ALLOW runtime: chain",
            "iptables filter/INPUT runtime: -j OS_FIREWALL_ALLOW",
            "iptables filter/OS_FIREWALL_ALLOW file /etc/sysconfig/iptables: chain");
        var file = Text(host, Sysconfig);
        file.Should().Contain(":OUTPUT ACCEPT [0:0]\n:OS_FIREWALL_ALLOW - [0:0]\n-A INPUT -m state")
            .And.Contain("-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT\n-A INPUT -j OS_FIREWALL_ALLOW\n-A INPUT -j REJECT");

        var rule = await host.PlanAsync(module, NfsRule("2049", action: "append"));
        rule.Failed.Should().BeFalse(rule.Message);
        Text(host, Sysconfig).Should().Contain("-A FORWARD -j REJECT --reject-with icmp-host-prohibited\n-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT\nCOMMIT");
    }

    [Fact]
    public async Task CustomChainMissing_WithoutChainManagement_FailsClearly()
    {
        var plan = await Stock().PlanAsync(module, NfsRule("2049"));

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("chain OS_FIREWALL_ALLOW does not exist in the filter table; set chain_management: true to create it");
    }

    [Fact]
    public async Task RuntimeDrift_AndFileDrift_AreReportedSeparately()
    {
        var withRule = CannedHost.Fixture("openshift-node.iptables-save-filter.txt")
            .Replace("-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 10250", "-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT\n-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 10250", StringComparison.Ordinal);
        var runtimeOnly = await Node(runtime: withRule).PlanAsync(module, NfsRule("2049"));
        runtimeOnly.Changes.Select(c => (c.Resource.Split(':')[0], c.IsChange)).Should().Equal(
            ("iptables filter/OS_FIREWALL_ALLOW runtime", false),
            ("iptables filter/OS_FIREWALL_ALLOW file /etc/sysconfig/iptables", true));

        var fileWithRule = CannedHost.Fixture("openshift-node.sysconfig")
            .Replace("-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 10250", "-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT\n-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 10250", StringComparison.Ordinal);
        var fileOnly = await Node(file: fileWithRule).PlanAsync(module, NfsRule("2049"));
        fileOnly.Changes.Select(c => (c.Resource.Split(':')[0], c.IsChange)).Should().Equal(
            ("iptables filter/OS_FIREWALL_ALLOW runtime", true),
            ("iptables filter/OS_FIREWALL_ALLOW file /etc/sysconfig/iptables", false));
        fileOnly.Steps.Should().ContainSingle();
    }

    [Fact]
    public async Task Absent_DeletesTheRuleAsItIsWritten_AtRuntimeAndInTheFile()
    {
        var host = Node();

        var plan = await host.PlanAsync(module, new { chain = "OS_FIREWALL_ALLOW", protocol = "tcp", ctstate = new[] { "NEW" }, destination_port = "8443", jump = "ACCEPT", state = "absent" });

        plan.Steps[0].Script.Should().Be("iptables -w -t filter -D OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 8443 -j ACCEPT");
        plan.Changes[0].Action.Should().Be(ChangeAction.Delete);
        Text(host, Sysconfig).Should().NotContain("8443");
        (await host.PlanAsync(module, new { chain = "OS_FIREWALL_ALLOW", protocol = "tcp", ctstate = new[] { "NEW" }, destination_port = "8443", jump = "ACCEPT", state = "absent" }))
            .Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Policy_ChangesTheChainAndTheDeclarationLine()
    {
        var host = Node();

        var plan = await host.PlanAsync(module, new { chain = "FORWARD", policy = "DROP" });

        plan.Steps[0].Script.Should().Be("iptables -w -t filter -P FORWARD DROP");
        Text(host, Sysconfig).Should().Contain(":FORWARD DROP [0:0]").And.Contain(":INPUT ACCEPT [0:0]");
    }

    [Fact]
    public async Task CheckMode_PlansTheSameSteps()
    {
        var check = await Node().PlanAsync(module, NfsRule("2049"), checkMode: true);
        var real = await Node().PlanAsync(module, NfsRule("2049"));

        check.Steps.Select(s => s.Script).Should().Equal(real.Steps.Select(s => s.Script));
    }

    [Theory]
    [InlineData("RedHat", "/etc/sysconfig/iptables")]
    [InlineData("Debian", "/etc/iptables/rules.v4")]
    public async Task PersistFile_FollowsOsFamily(string family, string expected)
    {
        var vars = new Dictionary<string, object?> { ["ansible_facts"] = new Dictionary<string, object?> { ["os_family"] = family } };

        var plan = await Node().PlanAsync(module, NfsRule("2049"), variables: vars);

        plan.Result["persist_file"].Should().Be(expected);
    }

    [Fact]
    public async Task NoFileAndNoSysconfig_CreatesRulesV4_WithItsDirectory_Mode0600()
    {
        var host = new CannedHost()
            .Command(SaveFilter, CannedHost.Fixture("openshift-node.iptables-save-filter.txt"))
            .Probe("iptables:ssh-connection", "\n");

        var plan = await host.PlanAsync(module, NfsRule("2049"));

        plan.Result["persist_file"].Should().Be("/etc/iptables/rules.v4");
        plan.Steps[1].Script.Should().Be("mkdir -p -- /etc/iptables");
        plan.Steps[2].Script.Should().Contain("chmod -- 00600");
        plan.Changes[1].Action.Should().Be(ChangeAction.Create);
        Text(host, "/etc/iptables/rules.v4").Should().Be(
            "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:OS_FIREWALL_ALLOW - [0:0]\n" +
            "-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT\nCOMMIT\n");
    }

    [Fact]
    public async Task PersistFalse_TouchesNoFile()
    {
        var plan = await Node().PlanAsync(module, new { chain = "OS_FIREWALL_ALLOW", protocol = "tcp", destination_port = "2049", jump = "ACCEPT", action = "insert", persist = false });

        plan.Steps.Should().ContainSingle();
        plan.Changes.Should().ContainSingle();
    }

    [Fact]
    public async Task DeadRule_WithAppend_IsRefused_WithInsert_IsMovedBeforeTheReject()
    {
        var dead = CannedHost.Fixture("rhel7-stock.iptables-save-filter.txt")
            .Replace("-A FORWARD", "-A INPUT -p tcp -m tcp --dport 2049 -j ACCEPT\n-A FORWARD", StringComparison.Ordinal);
        var rule = new { chain = "INPUT", protocol = "tcp", destination_port = "2049", jump = "ACCEPT", persist = false };

        var append = await Node(runtime: dead).PlanAsync(module, rule);
        append.Failed.Should().BeTrue();
        append.Message.Should().StartWith("filter/INPUT: the rule is at position 6, after the final rule 5");

        var insert = await Node(runtime: dead).PlanAsync(module, new { chain = "INPUT", protocol = "tcp", destination_port = "2049", jump = "ACCEPT", persist = false, action = "insert" });
        insert.Steps.Select(s => s.Script).Should().Equal(
            "iptables -w -t filter -D INPUT -p tcp -m tcp --dport 2049 -j ACCEPT",
            "iptables -w -t filter -I INPUT 1 -p tcp -m tcp --dport 2049 -j ACCEPT");
    }

    [Fact]
    public async Task FileWhoseChainEndsWithDrop_RefusesAnAppend_NamingTheFile()
    {
        var file = CannedHost.Fixture("openshift-node.sysconfig")
            .Replace("--dport 8443 -j ACCEPT\n", "--dport 8443 -j ACCEPT\n-A OS_FIREWALL_ALLOW -j DROP\n", StringComparison.Ordinal);

        var plan = await Node(file: file).PlanAsync(module, NfsRule("2049", action: "append"));

        plan.Message.Should().Be(
            "in /etc/sysconfig/iptables: filter/OS_FIREWALL_ALLOW: appending the rule would put it after the final rule 5 " +
            "(-A OS_FIREWALL_ALLOW -j DROP), where it never matches; use action: insert (optionally with rule_num) to place it before that rule");
    }

    private static string Text(CannedHost host, string path) =>
        host.Facts.GetAsync<FileState>(new FileProbe(path, WithContent: true), CancellationToken.None).AsTask().Result.Text!;
}
