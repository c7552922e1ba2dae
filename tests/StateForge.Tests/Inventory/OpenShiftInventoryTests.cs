using StateForge.Diagnostics;
using StateForge.Inventory;

namespace StateForge.Tests.Inventory;

/// <summary>A realistic OpenShift 3.11 INI inventory (Fixtures/openshift/hosts), as openshift-ansible used them.</summary>
public sealed class OpenShiftInventoryTests
{
    private static readonly InventoryModel Model = InventoryFixtures.LoadClean("openshift/hosts");

    [Fact]
    public void Load_OSEv3Children_HoldEveryHost()
    {
        Model.Groups["OSEv3"].Children.Should().Equal("masters", "etcd", "lb", "nfs", "nodes");
        Model.Hosts.Should().HaveCount(15);
        Model.Match("OSEv3", SourceSpan.None, new()).Should().HaveCount(15);
    }

    [Fact]
    public void Load_OSEv3Vars_ReachEveryHost_WithAnsibleTypes()
    {
        var vars = Model.FindHost("etcd2.example.com")!.Vars;

        vars["openshift_deployment_type"].Should().Be("openshift-enterprise");
        vars["openshift_release"].Should().Be("3.11");
        vars["openshift_master_api_port"].Should().Be(8443L);
        vars["ansible_become"].Should().Be("true");
        vars["openshift_enable_unsupported_configurations"].Should().Be(false);
        vars["openshift_disable_check"].Should().Be("memory_availability,disk_availability,docker_storage");
        vars["oreg_url"].Should().Be("registry.redhat.io/openshift3/ose-${component}:${version}");
        vars["openshift_master_identity_providers"].Should().BeEquivalentTo(new List<object?>
        {
            new Dictionary<string, object?> { ["name"] = "htpasswd_auth", ["login"] = "true", ["challenge"] = "true", ["kind"] = "HTPasswdPasswordIdentityProvider" },
        });
    }

    [Fact]
    public void Load_NodeLabels_AreADictionaryOnTheHostLine()
    {
        var infra = Model.FindHost("infra-node2.example.com")!;

        infra.Vars["openshift_node_labels"].Should().BeEquivalentTo(new Dictionary<string, object?> { ["region"] = "infra", ["zone"] = "default" });
        infra.Vars["openshift_node_group_name"].Should().Be("node-config-infra");
        Model.FindHost("node03.example.com")!.Vars["openshift_node_labels"].Should().BeEquivalentTo(new Dictionary<string, object?> { ["region"] = "primary", ["zone"] = "east" });
    }

    [Fact]
    public void Load_HostInTwoGroups_MergesBothGroupsVars()
    {
        var master = Model.FindHost("master2.example.com")!;

        Model.GroupNamesOf(master).Should().Equal("OSEv3", "masters", "nodes");
        master.Vars["openshift_node_group_name"].Should().Be("node-config-master");
        master.Vars["openshift_node_open_ports"].Should().BeEquivalentTo(new List<object?>
        {
            new Dictionary<string, object?> { ["service"] = "app-ports", ["port"] = "30000-32767/tcp" },
        });
    }

    [Fact]
    public void Load_ConnectionVars_ComeThrough()
    {
        var node5 = Model.FindHost("node05.example.com")!;
        var lb = Model.FindHost("lb.example.com")!;

        node5.Port.Should().Be(2222);
        node5.Address.Should().Be("10.0.0.55");
        node5.Vars["openshift_schedulable"].Should().Be(false);
        lb.Address.Should().Be("192.0.2.10");
        lb.Port.Should().Be(22);
        lb.Vars["ansible_ssh_user"].Should().Be("root");
        lb.Connection.Should().Be("ssh");
    }

    [Fact]
    public void Match_OpenShiftStylePatterns()
    {
        var diagnostics = new DiagnosticBag();

        Names("masters[0]").Should().Equal("master1.example.com");
        Names("nodes:!masters").Should().HaveCount(7).And.NotContain(n => n.StartsWith("master", StringComparison.Ordinal));
        Names("nodes:&masters").Should().Equal("master1.example.com", "master2.example.com", "master3.example.com");
        Names("~infra-node[0-9]").Should().Equal("infra-node1.example.com", "infra-node2.example.com");
        Names("oo_first_master").Should().BeEmpty();
        diagnostics.Should().BeEmpty();

        IEnumerable<string> Names(string pattern) => Model.Match(pattern, SourceSpan.None, diagnostics).Select(h => h.Name);
    }
}
