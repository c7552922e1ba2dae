using StateForge.Diagnostics;
using StateForge.Inventory;

namespace StateForge.Tests.Inventory;

/// <summary>
/// Host patterns on Fixtures/patterns/hosts. The selected hosts are those `ansible PATTERN
/// --list-hosts` prints (ansible-core 2.14); StateForge returns them in inventory order.
/// </summary>
public sealed class HostPatternTests
{
    private static readonly InventoryModel Model = InventoryFixtures.LoadClean("patterns/hosts");
    private static readonly SourceSpan At = new("site.yml", 3, 10);

    [Theory]
    [InlineData("all", "bastion web1 web2 web3 db1 db2 canary1")]
    [InlineData("*", "bastion web1 web2 web3 db1 db2 canary1")]
    [InlineData("webservers", "web1 web2 web3")]
    [InlineData("web1.example.com", "web1")]
    [InlineData("ungrouped", "bastion")]
    [InlineData("web-canary", "canary1")]
    public void Match_NameOrAll_SelectsHostsOrGroups(string pattern, string expected) => AssertMatch(pattern, expected);

    [Theory]
    [InlineData("web*", "web1 web2 web3 canary1")]
    [InlineData("*.example.com", "web1 web2 web3 db1 db2")]
    [InlineData("web?.example.com", "web1 web2 web3")]
    [InlineData("db[12].example.com", "db1 db2")]
    [InlineData("db[!1].example.com", "db2")]
    public void Match_Glob_MatchesGroupsAndHosts(string pattern, string expected) => AssertMatch(pattern, expected);

    [Theory]
    [InlineData(@"~web\d", "web1 web2 web3")]
    [InlineData("~(web|db)1", "web1 db1")]
    [InlineData("~canary", "canary1")]
    [InlineData("all:!~web", "bastion db1 db2")]
    public void Match_Regex_MatchesFromTheStartOfNames(string pattern, string expected) => AssertMatch(pattern, expected);

    [Theory]
    [InlineData("webservers:dbservers", "web1 web2 web3 db1 db2")]
    [InlineData("webservers,dbservers", "web1 web2 web3 db1 db2")]
    [InlineData("dbservers:webservers", "web1 web2 web3 db1 db2")]
    [InlineData("webservers , atlanta", "web1 web2 web3 db1")]
    [InlineData("webservers:&staging", "web3")]
    [InlineData("prod:!staging", "web1 web2 db1")]
    [InlineData("prod:!webservers:&atlanta", "db1")]
    [InlineData("!staging", "bastion web1 web2 db1 canary1")]
    [InlineData("&staging", "web3 db2")]
    [InlineData("!staging:webservers", "web1 web2")]
    public void Match_Operators_UnionThenIntersectThenExclude(string pattern, string expected) => AssertMatch(pattern, expected);

    [Theory]
    [InlineData("webservers[0]", "web1")]
    [InlineData("webservers[-1]", "web3")]
    [InlineData("webservers[0:1]", "web1 web2")]
    [InlineData("webservers[1:]", "web2 web3")]
    [InlineData("prod[1:3]", "web2 web3 db1")]
    [InlineData("webservers[2:0]", "web3")]
    [InlineData("webservers[5:9]", "")]
    [InlineData("nosuch[0]", "")]
    [InlineData("webservers[0],dbservers[-1]", "web1 db2")]
    public void Match_Subscript_SelectsByPosition(string pattern, string expected) => AssertMatch(pattern, expected);

    [Fact]
    public void Match_UnknownName_YieldsNoHostsAndNoDiagnostic()
    {
        var diagnostics = new DiagnosticBag();

        Model.Match("nosuch", At, diagnostics).Should().BeEmpty();
        diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Match_Localhost_FallsBackToImplicitLocalhost()
    {
        var diagnostics = new DiagnosticBag();

        var hosts = Model.Match("localhost", At, diagnostics);

        hosts.Should().ContainSingle().Which.Should().BeSameAs(Model.ImplicitLocalhost);
        hosts[0].Connection.Should().Be("local");
        Model.Match("all", At, diagnostics).Should().NotContain(h => h.Name == "localhost");
        Model.Match("webservers:localhost", At, diagnostics).Select(h => h.Name).Should().EndWith("localhost");
        diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Match_NoDuplicates_WhenPatternsOverlap()
    {
        var hosts = Model.Match("webservers:staging:web1.example.com:prod", At, new DiagnosticBag());

        hosts.Select(h => h.Name).Should().OnlyHaveUniqueItems().And.HaveCount(5);
    }

    [Fact]
    public void Match_HostNameWins_OverGlobParsing()
    {
        using var temp = new TempInventory();
        var (model, diagnostics) = temp.LoadText("hosts", "[g]\nfe80::1\n[h]\nweb[1:2]\n");

        diagnostics.Should().BeEmpty();
        model.Match("fe80::1", At, diagnostics).Select(h => h.Name).Should().Equal("fe80::1");
        model.Match("web1", At, diagnostics).Select(h => h.Name).Should().Equal("web1");
    }

    [Theory]
    [InlineData("~(web", "invalid regular expression")]
    [InlineData("webservers:!", "'!' needs a host or group name after '!'")]
    [InlineData("webservers[7]", "subscript [7] is out of range: 'webservers' has 3 host(s)")]
    [InlineData("webservers[-4]", "subscript [-4] is out of range")]
    [InlineData(" , ", "the pattern names no hosts or groups")]
    public void Match_MalformedPattern_ReportsSF0018AtTheGivenSpan(string pattern, string message)
    {
        var diagnostics = new DiagnosticBag();

        Model.Match(pattern, At, diagnostics).Should().BeEmpty();

        var d = diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("SF0018");
        d.Span.Should().Be(At);
        d.Message.Should().Contain($"host pattern '{pattern}'").And.Contain(message);
    }

    private static void AssertMatch(string pattern, string expected)
    {
        var diagnostics = new DiagnosticBag();

        var names = Model.Match(pattern, At, diagnostics).Select(h => h.Name.Split('.')[0]);

        diagnostics.Should().BeEmpty();
        names.Should().Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
