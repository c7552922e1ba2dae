using StateForge.Diagnostics;
using StateForge.Inventory;

namespace StateForge.Tests.Inventory;

/// <summary>Inventory sources: files told apart by content, directories, host lists, several at once, none.</summary>
public sealed class InventoryLoaderTests
{
    [Fact]
    public void Load_NoSources_HasOnlyTheImplicitLocalhost()
    {
        var diagnostics = new DiagnosticBag();

        var model = InventoryLoader.Load([], diagnostics);

        diagnostics.Should().BeEmpty();
        model.Hosts.Should().BeEmpty();
        model.Groups.Keys.Should().Equal("all", "ungrouped");
        var localhost = model.FindHost("localhost")!;
        localhost.Should().BeSameAs(model.ImplicitLocalhost);
        localhost.Connection.Should().Be("local");
        localhost.Vars["ansible_connection"].Should().Be("local");
        localhost.Vars["group_names"].Should().BeEquivalentTo(Array.Empty<string>());
        model.FindHost("127.0.0.1").Should().BeSameAs(localhost);
        model.GroupNamesOf("localhost").Should().BeEmpty();
        model.GroupsToHosts()["all"].Should().BeEmpty();
        model.GroupsToHosts()["ungrouped"].Should().BeEmpty();
    }

    [Fact]
    public void Load_NoSources_MatchesLocalhostButNotAll()
    {
        var model = InventoryModel.Empty;
        var diagnostics = new DiagnosticBag();

        model.Match("localhost", SourceSpan.None, diagnostics).Should().ContainSingle().Which.Name.Should().Be("localhost");
        model.Match("all", SourceSpan.None, diagnostics).Should().BeEmpty("Ansible's implicit localhost does not match 'all'");
        model.Match("ungrouped", SourceSpan.None, diagnostics).Should().BeEmpty();
        diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Load_NoSources_RendersLikeAnsibleWithoutInventory()
    {
        InventoryRenderer.Graph(InventoryModel.Empty).Should().Be("@all:\n  |--@ungrouped:");
        InventoryRenderer.ListJson(InventoryModel.Empty).Should().Be("""
            {
                "_meta": {
                    "hostvars": {}
                },
                "all": {
                    "children": [
                        "ungrouped"
                    ]
                }
            }
            """);
    }

    [Fact]
    public void Load_ImplicitLocalhost_GetsAllGroupVarsAndItsHostVars()
    {
        using var temp = new TempInventory();
        temp.Write("host_vars/localhost.yml", "from_host_vars: yes\n");
        temp.Write("group_vars/all.yml", "from_group_vars: 1\n");

        var (model, diagnostics) = temp.LoadText("hosts", "[all:vars]\nfrom_inventory=1\n[web]\nweb1\n");

        diagnostics.Should().BeEmpty();
        var localhost = model.FindHost("localhost")!;
        localhost.Vars["from_inventory"].Should().Be(1L);
        localhost.Vars["from_group_vars"].Should().Be(1L);
        localhost.Vars["from_host_vars"].Should().Be(true);
        model.Hosts.Select(h => h.Name).Should().Equal("web1");
    }

    [Fact]
    public void Load_ExplicitLocalhostLikeHost_ReplacesTheImplicitOne()
    {
        using var temp = new TempInventory();

        var (model, _) = temp.LoadText("hosts", "[local]\n127.0.0.1 ansible_connection=local\n");

        model.ImplicitLocalhost.Should().BeNull();
        model.FindHost("localhost")!.Name.Should().Be("127.0.0.1");
        model.Match("localhost", SourceSpan.None, new()).Select(h => h.Name).Should().Equal("127.0.0.1");
        model.Match("all", SourceSpan.None, new()).Select(h => h.Name).Should().Equal("127.0.0.1");
    }

    [Fact]
    public void Load_HostList_PutsHostsInUngrouped()
    {
        var diagnostics = new DiagnosticBag();

        var model = InventoryLoader.Load(["web1, web2:2222,[::1]:2200,localhost,"], diagnostics);

        diagnostics.Should().BeEmpty();
        model.Groups["ungrouped"].Hosts.Should().Equal("web1", "web2", "::1", "localhost");
        model.FindHost("web2")!.Port.Should().Be(2222);
        model.FindHost("::1")!.Port.Should().Be(2200);
        model.FindHost("localhost")!.Connection.Should().Be("local");
        model.ImplicitLocalhost.Should().BeNull();
        model.FindHost("web1")!.Vars["inventory_file"].Should().BeNull();
    }

    [Fact]
    public void Load_SeveralSources_Merge()
    {
        using var temp = new TempInventory();
        temp.Write("one.ini", "[web]\nweb1 color=red\n[web:vars]\nshared=one\n");
        temp.Write("two.yml", "all:\n  children:\n    web:\n      hosts:\n        web1:\n          color: blue\n        web2:\n      vars:\n        shared: two\n");

        var (model, diagnostics) = temp.Load("one.ini", "two.yml");

        diagnostics.Should().BeEmpty();
        model.Groups["web"].Hosts.Should().Equal("web1", "web2");
        model.FindHost("web1")!.Vars["color"].Should().Be("blue");
        model.FindHost("web1")!.Vars["shared"].Should().Be("two");
        model.FindHost("web1")!.Vars["inventory_file"].Should().Be(Path.Combine(temp.Dir, "one.ini"));
        model.Sources.Should().HaveCount(2);
    }

    [Fact]
    public void Load_Directory_ReadsEveryInventoryFileAndSkipsTheRest()
    {
        var model = InventoryFixtures.LoadClean("directory");

        model.Hosts.Select(h => h.Name).Should().Equal("web1", "web2", "db1", "web3", "redis1");
        model.Groups.Keys.Should().NotContain(["ghost", "hidden"]);
        model.FindHost("web9").Should().BeNull("*.retry files are skipped");
        model.FindHost("web1")!.Vars["http_port"].Should().Be(8080L, "group_vars inside the directory apply");
    }

    [Fact]
    public void Load_DirectoryWithIniFile_ReadsIt()
    {
        // ansible-core 2.19 stopped ignoring *.ini in inventory directories; StateForge follows it.
        using var temp = new TempInventory();
        temp.Write("inv/hosts.ini", "[web]\nweb1\n");
        temp.Write("inv/notes.txt", "[ghost]\n");

        var (model, diagnostics) = temp.Load("inv");

        diagnostics.Should().BeEmpty();
        model.Groups.Keys.Should().Equal("all", "ungrouped", "web");
    }

    [Theory]
    [InlineData("hosts", "all:\n  hosts:\n    web1:\n")]
    [InlineData("hosts", "[all]\nweb1\n")]
    [InlineData("hosts", "web1\n")]
    [InlineData("inventory.json", "{\"all\": {\"hosts\": {\"web1\": null}}}")]
    [InlineData("hosts.ini", "web1 ansible_host=10.0.0.1\n")]
    [InlineData("production", "# comment\n[web]\nweb1\n")]
    public void Load_FileWithoutTellingExtension_IsReadByContent(string fileName, string text)
    {
        using var temp = new TempInventory();

        var (model, diagnostics) = temp.LoadText(fileName, text);

        diagnostics.Should().BeEmpty();
        model.Hosts.Select(h => h.Name).Should().Equal("web1");
    }

    [Fact]
    public void Load_IniContentInYamlFile_ReportsYamlSyntaxError()
    {
        using var temp = new TempInventory();

        var (_, diagnostics) = temp.LoadText("hosts.yml", "[web]\nweb1\n");

        diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0001");
    }

    [Fact]
    public void Load_MissingSource_ReportsSF0011()
    {
        var diagnostics = new DiagnosticBag();

        InventoryLoader.Load(["/no/such/inventory"], diagnostics);

        var d = diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("SF0011");
        d.Message.Should().Be("inventory source '/no/such/inventory' not found");
    }

    [Fact]
    public void Load_ExecutableScript_ReportsSF0101()
    {
        using var temp = new TempInventory();
        var path = temp.Write("ec2.py", "#!/usr/bin/env python3\nprint('{}')\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (_, diagnostics) = temp.Load("ec2.py");

        diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0101");
    }

    [Fact]
    public void Load_BadVarsFile_ReportsItsPosition()
    {
        using var temp = new TempInventory();
        temp.Write("group_vars/web.yml", "- not\n- a mapping\n");
        temp.Write("host_vars/web1", "$ANSIBLE_VAULT;1.1;AES256\n6162\n");

        var (_, diagnostics) = temp.LoadText("hosts", "[web]\nweb1\n");

        diagnostics.Select(d => d.Code).Should().Equal("SF0017", "SF0017");
        diagnostics[0].Message.Should().Contain("must hold a mapping, not a list");
        Path.GetFileName(diagnostics[0].Span.File).Should().Be("web.yml");
        diagnostics[1].Message.Should().Contain("Ansible Vault");
    }

    [Fact]
    public void Load_VarsFileWithoutExtension_AndVarsDirectory_AreRead()
    {
        using var temp = new TempInventory();
        temp.Write("group_vars/web", "plain: 1\n");
        temp.Write("host_vars/web1/a.yml", "from: a\n");
        temp.Write("host_vars/web1/b/c.json", "{\"from\": \"c\", \"nested\": true}");
        temp.Write("host_vars/web1/.hidden.yml", "from: hidden\n");
        temp.Write("host_vars/web1/notes.txt", "from: txt\n");

        var (model, diagnostics) = temp.LoadText("hosts", "[web]\nweb1\n");

        diagnostics.Should().BeEmpty();
        var vars = model.FindHost("web1")!.Vars;
        vars["plain"].Should().Be(1L);
        vars["from"].Should().Be("c");
        vars["nested"].Should().Be(true);
    }

    [Fact]
    public void GroupsToHosts_IncludesHostsOfChildGroups_InInventoryOrder()
    {
        var model = InventoryFixtures.LoadClean("openshift/hosts");

        var groups = model.GroupsToHosts();

        groups.Keys.Should().Equal("all", "ungrouped", "OSEv3", "masters", "etcd", "lb", "nfs", "nodes");
        groups["OSEv3"].Should().HaveCount(model.Hosts.Count);
        groups["all"].Should().Equal(model.Hosts.Select(h => h.Name));
        groups["ungrouped"].Should().BeEmpty();
        groups["masters"].Should().Equal("master1.example.com", "master2.example.com", "master3.example.com");
    }
}
