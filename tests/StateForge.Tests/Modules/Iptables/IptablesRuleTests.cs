using StateForge.Modules.Host;
using StateForge.Modules.Host.Iptables;

namespace StateForge.Tests.Modules.Iptables;

/// <summary>Rules compare in the form iptables-save prints; fixtures are real iptables-save output (normalisation.commands.sh made them).</summary>
public sealed class IptablesRuleTests
{
    private static readonly List<IptablesRule> Saved = [.. CannedHost.Fixture("normalisation.iptables-save.txt").Split('\n')
        .Select(IptablesTable.RuleLine).OfType<(string Chain, IptablesRule Rule)>().Select(r => r.Rule)];

    private static IptablesRule Build(IptablesParams p) => IptablesRuleSpec.Build(p);

    [Fact]
    public void Fixture_HasTheTwelveRulesTheCommandsAdded() => Saved.Should().HaveCount(12);

    [Fact]
    public void StateAndConntrack_InAnyMatchOrder_AreTheSameRule()
    {
        Saved[0].Text.Should().Be("-p tcp -m tcp --dport 2049 -m state --state NEW -j ACCEPT");
        Saved[1].Text.Should().Be("-p tcp -m conntrack --ctstate NEW -m tcp --dport 2049 -j ACCEPT");

        Saved[0].Key.Should().Be(Saved[1].Key);
    }

    [Fact]
    public void ParamsAskingCtstate_MatchARuleWrittenWithState()
    {
        var asked = Build(new IptablesParams { Chain = "T", Protocol = "tcp", DestinationPort = "2049", Ctstate = ["NEW"], Jump = "ACCEPT" });

        asked.Text.Should().Be("-p tcp -m conntrack --ctstate NEW -m tcp --dport 2049 -j ACCEPT");
        asked.Key.Should().Be(Saved[0].Key);
    }

    [Fact]
    public void MatchState_WritesOpenShiftsForm_ExactlyAsIptablesSavePrintsIt()
    {
        var rule = Build(new IptablesParams { Chain = "OS_FIREWALL_ALLOW", Protocol = "tcp", Match = ["state"], Ctstate = ["NEW"], DestinationPort = "2049", Jump = "ACCEPT" });

        rule.Text.Should().Be("-p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT");
    }

    [Fact]
    public void StateLists_CompareAsSets_InIptablesOrder()
    {
        var rule = Build(new IptablesParams { Chain = "T", Ctstate = ["ESTABLISHED", "related"], Jump = "ACCEPT" });

        rule.Text.Should().Be("-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        rule.Key.Should().Be(Saved[2].Key, "iptables-save printed `-m state --state RELATED,ESTABLISHED` for ESTABLISHED,RELATED");
    }

    [Fact]
    public void HostAddress_GetsSlash32_AndCommentWithSpaces_IsQuotedLikeIptablesSave()
    {
        var rule = Build(new IptablesParams { Chain = "T", Source = "10.0.0.1", Protocol = "udp", DestinationPort = "53", Comment = "dns it is", Jump = "ACCEPT" });

        rule.Text.Should().Be(Saved[3].Text).And.Be("-s 10.0.0.1/32 -p udp -m udp --dport 53 -m comment --comment \"dns it is\" -j ACCEPT");
        rule.Key.Should().Be(Saved[3].Key);
    }

    [Fact]
    public void DottedMask_BecomesThePrefixOfTheNetwork()
    {
        Build(new IptablesParams { Chain = "T", Source = "1.2.3.4/255.255.255.0", Jump = "ACCEPT" }).Text.Should().Be(Saved[4].Text);
    }

    [Fact]
    public void HostileComment_RoundTripsThroughSaveQuoting()
    {
        var comment = "$(touch /tmp/pwned) \"q\" 's\\b";
        var rule = Build(new IptablesParams { Chain = "T", Protocol = "tcp", Comment = comment, Jump = "ACCEPT" });

        rule.Text.Should().Be(Saved[5].Text);
        Saved[5].Matches.Single(m => m.Name == "comment").Options[0].Values.Should().Equal(comment);
        rule.Key.Should().Be(Saved[5].Key);
    }

    [Fact]
    public void NegatedSource_ProtocolNumber_AndSinglePortRange_Normalise()
    {
        var rule = Build(new IptablesParams { Chain = "T", Source = "! 10.0.0.0/8", Protocol = "6", DestinationPort = "80:80", Jump = "ACCEPT" });

        rule.Text.Should().Be(Saved[6].Text).And.Be("! -s 10.0.0.0/8 -p tcp -m tcp --dport 80 -j ACCEPT");
    }

    [Fact]
    public void MultiportLists_CompareAsSets()
    {
        var rule = Build(new IptablesParams { Chain = "T", Protocol = "tcp", DestinationPorts = ["111", "2049"], Jump = "ACCEPT" });

        rule.Text.Should().Be("-p tcp -m multiport --dports 111,2049 -j ACCEPT");
        rule.Key.Should().Be(Saved[7].Key, "iptables-save printed --dports 2049,111");
    }

    [Fact]
    public void ProtocolAll_IsNoProtocol()
    {
        Build(new IptablesParams { Chain = "T", InInterface = "!eth+", Protocol = "all", Jump = "ACCEPT" }).Key.Should().Be(Saved[8].Key);
    }

    [Fact]
    public void NegatedCtstate_DiffersFromTheUnnegatedOne()
    {
        Saved[9].Key.Should().NotBe(Build(new IptablesParams { Chain = "T", Ctstate = ["INVALID"], Jump = "ACCEPT" }).Key);
    }

    [Fact]
    public void Reject_WithoutRejectWith_IsIcmpPortUnreachable_AsIptablesSavePrintsIt()
    {
        var plain = Build(new IptablesParams { Chain = "T", Jump = "REJECT" });

        plain.Text.Should().Be(Saved[10].Text);
        IptablesRule.Parse("-j REJECT").Key.Should().Be(Saved[10].Key);
        plain.Key.Should().NotBe(Saved[11].Key);
        Saved[10].IsFinal.Should().BeTrue();
        Saved[11].IsFinal.Should().BeTrue();
        Saved[9].IsFinal.Should().BeFalse("a conditional rule is not final");
    }

    [Fact]
    public void HandWrittenFileRule_WithoutMTcp_EqualsTheSavedForm()
    {
        IptablesRule.Parse("-p tcp --dport 22 -m state --state NEW -j ACCEPT").Key
            .Should().Be(IptablesRule.Parse("-p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT").Key);
    }

    [Theory]
    [InlineData("a b", "\"a b\"")]
    [InlineData("plain_word-1", "plain_word-1")]
    [InlineData("", "\"\"")]
    [InlineData("x\"y", "\"x\\\"y\"")]
    public void SaveString_QuotesLikeXtables(string value, string expected)
    {
        IptablesTokens.SaveString(value).Should().Be(expected);
        IptablesTokens.Split("--comment " + expected)[1].Value.Should().Be(value);
    }
}
