using StateForge.Inventory;

namespace StateForge.Tests.Inventory;

/// <summary>The YAML inventory format, read by the rules of Ansible's yaml plugin.</summary>
public sealed class YamlInventoryTests
{
    private static readonly InventoryModel Fixture = InventoryFixtures.LoadClean("yaml/inventory.yml");

    [Fact]
    public void Load_HostsUnderAll_AreUngrouped()
    {
        Fixture.Groups["ungrouped"].Hosts.Should().Equal("bastion.example.com", "mail.example.com");
        Fixture.Groups["all"].Hosts.Should().Equal("bastion.example.com", "mail.example.com");
        Fixture.GroupNamesOf("mail.example.com").Should().Equal("ungrouped");
    }

    [Fact]
    public void Load_RangesInHostKeys_Expand()
    {
        Fixture.Groups["webservers"].Hosts.Should().HaveCount(10).And.StartWith("web01.example.com").And.EndWith("web10.example.com");
        Fixture.Groups["dbservers"].Hosts.Should().Equal("db-a.example.com", "db-b.example.com", "db-c.example.com", "db-x.example.com");
        Fixture.Groups["batch"].Hosts.Should().Equal("worker1", "worker3", "worker5", "worker7", "worker9", "node1", "node2", "node3");
    }

    [Fact]
    public void Load_HostVarsAndPort_ApplyToEveryExpandedHost()
    {
        Fixture.FindHost("db-b.example.com")!.Vars["db_engine"].Should().Be("postgres");
        Fixture.FindHost("db-x.example.com")!.Port.Should().Be(2345);
        Fixture.FindHost("bastion.example.com")!.Port.Should().Be(2200);
    }

    [Fact]
    public void Load_VarsKeepTheirYamlTypes()
    {
        var web = Fixture.FindHost("web03.example.com")!;
        var db = Fixture.FindHost("db-a.example.com")!;

        web.Vars["http_port"].Should().Be(80L);
        web.Vars["ansible_user"].Should().Be("www");
        web.User.Should().Be("www");
        db.Vars["backup"].Should().Be(true);
        db.Vars["tier"].Should().Be("data");
        db.Vars["env"].Should().Be("production");
        db.Vars["motd"].Should().Be("Production system.\nBe careful.\n");
        Fixture.FindHost("worker1")!.Vars["retries"].Should().Be(3L);
    }

    [Fact]
    public void Load_GroupUnderTwoParents_IsOneGroup()
    {
        Fixture.Groups["webservers"].Parents.Should().Equal("all", "production");
        Fixture.Groups["production"].Children.Should().Equal("webservers", "dbservers");
        Fixture.GroupNamesOf("web01.example.com").Should().Equal("production", "webservers");
        Fixture.Groups["empty_group"].Hosts.Should().BeEmpty();
    }

    [Fact]
    public void Load_StringShorthandForHostsAndChildren_IsAccepted()
    {
        using var temp = new TempInventory();

        var (model, diagnostics) = temp.LoadText("inv.yml", """
            all:
              children:
                web:
                  hosts: web1
            """);

        diagnostics.Should().BeEmpty();
        model.Groups["web"].Hosts.Should().Equal("web1");
    }

    [Fact]
    public void Load_TopLevelGroupsBesideAll_AreGroups()
    {
        using var temp = new TempInventory();

        var (model, diagnostics) = temp.LoadText("inv.yaml", """
            web:
              hosts:
                web1:
            db:
              hosts:
                db1:
            """);

        diagnostics.Should().BeEmpty();
        model.Groups["all"].Children.Should().Equal("ungrouped", "web", "db");
    }

    [Theory]
    [InlineData("all:\n  host:\n    web1:\n", 2, 3, "unknown key 'host' in group 'all'; a group has only hosts, children and vars; did you mean 'hosts'?")]
    [InlineData("all:\n  children:\n    web:\n      hosts:\n        web1:\n      variables:\n        x: 1\n", 6, 7, "unknown key 'variables' in group 'web'")]
    [InlineData("all:\n  hosts:\n    - web1\n", 3, 5, "'hosts' of group 'all' must be a mapping, not a list")]
    [InlineData("all:\n  hosts:\n    web1: up\n", 3, 11, "host 'web1' must have a mapping of variables, not a string")]
    [InlineData("all:\n  children:\n    web: [a]\n", 3, 10, "group 'web' must be a mapping of hosts, children and vars, not a list")]
    [InlineData("all:\n  hosts:\n    1234:\n", 3, 5, "host name 1234 must be a string; quote it ('1234')")]
    [InlineData("all:\n  hosts:\n    web[3:]:\n", 3, 5, "host range must specify end value")]
    [InlineData("all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n", 5, 9, "adding group 'b' as child to 'a' creates a recursive dependency loop")]
    [InlineData("- all\n", 1, 1, "a YAML inventory must be a mapping of groups (usually 'all:'), not a list")]
    public void Load_BadStructure_ReportsSF0017AtTheNode(string text, int line, int column, string message)
    {
        using var temp = new TempInventory();

        var (_, diagnostics) = temp.LoadText("inv.yml", text);

        var d = diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("SF0017");
        (d.Span.Line, d.Span.Column).Should().Be((line, column));
        d.Message.Should().Contain(message);
    }

    [Fact]
    public void Load_DuplicateKey_ReportsSF0002()
    {
        using var temp = new TempInventory();

        var (_, diagnostics) = temp.LoadText("inv.yml", "all:\n  hosts:\n    web1:\n    web1:\n");

        var d = diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("SF0002");
        (d.Span.Line, d.Span.Column).Should().Be((4, 5));
    }

    [Fact]
    public void Load_YamlSyntaxError_ReportsSF0001()
    {
        using var temp = new TempInventory();

        var (_, diagnostics) = temp.LoadText("inv.yml", "all:\n  hosts: [web1\n");

        diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0001");
    }

    [Fact]
    public void Load_PluginConfiguration_ReportsSF0102()
    {
        using var temp = new TempInventory();

        var (_, diagnostics) = temp.LoadText("aws_ec2.yml", "plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n");

        var d = diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("SF0102");
        d.Message.Should().Contain("amazon.aws.aws_ec2");
    }

    [Fact]
    public void Load_EmptyYamlFile_DefinesNothing()
    {
        using var temp = new TempInventory();

        var (model, diagnostics) = temp.LoadText("inv.yml", "# nothing yet\n");

        diagnostics.Should().BeEmpty();
        model.Hosts.Should().BeEmpty();
    }
}
