using StateForge.Inventory;

namespace StateForge.Tests.Inventory;

/// <summary>The INI inventory format, read by the rules of Ansible's ini plugin.</summary>
public sealed class IniInventoryTests
{
    [Fact]
    public void Load_LinesBeforeAnySection_AreUngroupedHosts()
    {
        var model = LoadClean("""
            # ungrouped hosts come first
            alpha
            beta ansible_host=10.0.0.2

            [web]
            web1
            """);

        model.Groups["ungrouped"].Hosts.Should().Equal("alpha", "beta");
        model.Groups["web"].Hosts.Should().Equal("web1");
        model.Hosts.Select(h => h.Name).Should().Equal("alpha", "beta", "web1");
        model.GroupNamesOf("alpha").Should().Equal("ungrouped");
    }

    [Fact]
    public void Load_UngroupedHostAlsoInAGroup_LeavesUngrouped()
    {
        var model = LoadClean("alpha\n[web]\nalpha\n");

        model.Groups["ungrouped"].Hosts.Should().BeEmpty();
        model.GroupNamesOf("alpha").Should().Equal("web");
    }

    [Fact]
    public void Load_HostPortShorthand_SetsAnsiblePort()
    {
        var model = LoadClean("""
            [g]
            fe80::1
            [::1]:2222
            host:2200
            10.0.0.1:22
            web[1:2]:2201 x=1
            """);

        model.FindHost("fe80::1")!.Vars.Should().NotContainKey("ansible_port");
        model.FindHost("::1")!.Port.Should().Be(2222);
        model.FindHost("host")!.Vars["ansible_port"].Should().Be(2200L);
        model.FindHost("10.0.0.1")!.Port.Should().Be(22);
        model.FindHost("web2")!.Port.Should().Be(2201);
    }

    [Fact]
    public void Load_HostRanges_ExpandInOrder()
    {
        var model = LoadClean("""
            [g]
            web[01:03].example.com
            db-[a:c]
            worker[1:10:3]
            rack[1:2]-node[a:b]
            """);

        model.Groups["g"].Hosts.Should().Equal(
            "web01.example.com", "web02.example.com", "web03.example.com",
            "db-a", "db-b", "db-c",
            "worker1", "worker4", "worker7", "worker10",
            "rack1-nodea", "rack1-nodeb", "rack2-nodea", "rack2-nodeb");
    }

    [Fact]
    public void Load_InlineVars_AreShellQuotedPythonLiterals()
    {
        var model = LoadClean("""
            [g]
            h1 port=8080 flag=True text="hello world" labels="{'region': 'infra'}" note='x y' pass=a#b ignored=1
            """);

        var vars = model.FindHost("h1")!.Vars;
        vars["port"].Should().Be(8080L);
        vars["flag"].Should().Be(true);
        vars["text"].Should().Be("hello world");
        vars["labels"].Should().BeEquivalentTo(new Dictionary<string, object?> { ["region"] = "infra" });
        vars["pass"].Should().Be("a");
        vars["note"].Should().Be("x y");
        vars.Should().NotContainKey("ignored", "'#' starts a comment even inside a word, as in Python's shlex");
    }

    [Fact]
    public void Load_GroupVarsSection_ReadsOneLiteralPerLine()
    {
        var model = LoadClean("""
            [g]
            h1
            [g:vars]
            port=8080
            name = spaced value
            flag=FALSE
            quoted="8080"
            labels="{'region': 'infra'}"
            """);

        var vars = model.Groups["g"].Vars;
        vars["port"].Should().Be(8080L);
        vars["name"].Should().Be("spaced value");
        vars["flag"].Should().Be("FALSE");
        vars["quoted"].Should().Be("8080");
        vars["labels"].Should().Be("{'region': 'infra'}");
    }

    [Fact]
    public void Load_ChildrenListedBeforeTheirSections_AreLinkedWhenDeclared()
    {
        var model = LoadClean("""
            [prod:vars]
            env=prod
            [prod:children]
            web
            db
            [db]
            db1
            [web]
            web1
            [prod]
            """);

        model.Groups["prod"].Children.Should().Equal("db", "web");
        model.Groups["all"].Children.Should().Equal("ungrouped", "prod");
        model.FindHost("web1")!.Vars["env"].Should().Be("prod");
        model.GroupsToHosts()["prod"].Should().Equal("db1", "web1");
    }

    [Fact]
    public void Load_ExplicitUngroupedSection_IsTheUngroupedGroup()
    {
        var model = LoadClean("[ungrouped]\nlone\n[all:vars]\nx=1\n");

        model.Groups["ungrouped"].Hosts.Should().Equal("lone");
        model.FindHost("lone")!.Vars["x"].Should().Be(1L);
    }

    [Theory]
    [InlineData("[web:child]\nweb1\n", 1, 6, "section [web:child] has unknown type 'child'; a section is [group], [group:vars] or [group:children]")]
    [InlineData("[web:vasr]\nx=1\n", 1, 6, "section [web:vasr] has unknown type 'vasr'; a section is [group], [group:vars] or [group:children]; did you mean 'vars'?")]
    [InlineData("[web servers]\n", 1, 1, "invalid section entry '[web servers]'")]
    [InlineData("[web] ; the web tier\nweb1\n", 1, 1, "only a '#' comment may follow a section header, not ';'")]
    [InlineData("[web]\nweb1\n[prod:children]\nweb\n  nfs\n", 5, 3, "section [prod:children] includes undefined group 'nfs'; declare it with a [nfs] section")]
    [InlineData("[db:vars]\nport=5432\n", 1, 2, "section [db:vars] is not valid for undefined group 'db'")]
    [InlineData("[web]\nweb1 ansible_port\n", 2, 6, "expected key=value host variable assignment, got 'ansible_port'")]
    [InlineData("[web]\nweb1 x=1 ;\n", 2, 10, "expected key=value host variable assignment, got ';'")]
    [InlineData("[web]\nweb1 =22\n", 2, 6, "host variable assignment '=22' has no name before '='")]
    [InlineData("[web]\nweb1 motd='unclosed\n", 2, 11, "the quote ' opened here is never closed")]
    [InlineData("[web]\nweb1 path=c:\\\n", 2, 13, "the line ends with a backslash, which escapes nothing")]
    [InlineData("[web:vars]\nno_equals_here\n[web]\n", 2, 1, "expected key=value in [web:vars], got 'no_equals_here'")]
    [InlineData("[web]\n  web1:\n", 2, 3, "invalid host pattern 'web1:': ending in ':' is not allowed")]
    [InlineData("---\n", 1, 1, "'---' is normally a sign this is a YAML file")]
    [InlineData("[web]\nweb[01:1]\n", 2, 1, "host range must specify equal-length begin and end formats")]
    [InlineData("[web]\nweb[3:]\n", 2, 1, "host range must specify end value")]
    [InlineData("[web]\nweb[c:a]\n", 2, 1, "host range must have begin <= end")]
    [InlineData("[web]\nweb[1:3:0]\n", 2, 1, "host range step must not be zero")]
    [InlineData("[web]\nweb[x:10]\n", 2, 1, "host range bound 'x' is neither a number nor a single letter")]
    [InlineData("[web]\nansible_user=root\n", 2, 1, "'ansible_user=root' is a variable where a host name belongs; set group variables in a [web:vars] section")]
    [InlineData("[a:children]\nb\n[b:children]\na\n", 4, 1, "adding group 'a' as child to 'b' creates a recursive dependency loop")]
    [InlineData("[a]\nh\n[a:vars]\nansible_group_priority=high\n", 4, 1, "ansible_group_priority of group 'a' must be an integer, not 'high'")]
    public void Load_BadLine_ReportsSF0017AtLineAndColumn(string text, int line, int column, string message)
    {
        using var temp = new TempInventory();

        var (_, diagnostics) = temp.LoadText("hosts", text.Replace("\\n", "\n", StringComparison.Ordinal));

        var d = diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("SF0017");
        (d.Span.Line, d.Span.Column).Should().Be((line, column));
        Path.GetFileName(d.Span.File).Should().Be("hosts");
        d.Message.Should().Contain(message);
    }

    [Fact]
    public void Load_SeveralProblems_AreAllReported()
    {
        using var temp = new TempInventory();

        var (model, diagnostics) = temp.LoadText("hosts", """
            [web:kids]
            [web]
            web1 port
            web2
            [db:vars]
            x=1
            [prod:children]
            cache
            """);

        diagnostics.Select(d => d.Span.Line).Should().Equal(1, 3, 5, 8);
        diagnostics.Should().OnlyContain(d => d.Code == "SF0017");
        model.Groups["web"].Hosts.Should().Equal("web2");
    }

    [Fact]
    public void Load_UnknownSectionType_SkipsItsLines()
    {
        using var temp = new TempInventory();

        var (model, diagnostics) = temp.LoadText("hosts", "[web:hostz]\nweb1\n[db]\ndb1\n");

        diagnostics.Should().ContainSingle();
        model.Hosts.Select(h => h.Name).Should().Equal("db1");
    }

    [Fact]
    public void Load_HostAndGroupWithTheSameName_WarnsSF0100()
    {
        using var temp = new TempInventory();

        var (model, diagnostics) = temp.LoadText("hosts", "[web]\nweb\n");

        var d = diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("SF0100");
        d.IsError.Should().BeFalse();
        (d.Span.Line, d.Span.Column).Should().Be((2, 1));
        model.Match("web", d.Span, new()).Select(h => h.Name).Should().Equal("web");
    }

    private static InventoryModel LoadClean(string text)
    {
        using var temp = new TempInventory();
        var (model, diagnostics) = temp.LoadText("hosts", text);
        diagnostics.Should().BeEmpty();
        return model;
    }
}
