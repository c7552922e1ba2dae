using StateForge.Diagnostics;
using StateForge.Inventory;

namespace StateForge.Tests.Inventory;

/// <summary>
/// Ansible's variable precedence for inventory variables, checked on the precedence fixture
/// (whose expected values ansible-inventory 2.14 produced, see Baselines/precedence.list.json).
/// </summary>
public sealed class VariablePrecedenceTests
{
    private static readonly InventoryModel Model = LoadWithPlaybookVars();

    [Theory]
    [InlineData("v_all_only", "all")]
    [InlineData("v_child_beats_parent", "child")]
    [InlineData("v_host_beats_group", "host")]
    [InlineData("v_alpha", "ddd")]
    [InlineData("v_priority", "aaa")]
    [InlineData("v_gv_all_beats_inv_child", "group_vars-all")]
    [InlineData("v_gv_group_beats_inv_group", "group_vars")]
    [InlineData("v_dir_order", "second")]
    [InlineData("v_inv_host_beats_gv", "inline")]
    [InlineData("v_host_vars_beats_inline", "host_vars")]
    [InlineData("v_pb_beats_inv", "playbook-group_vars-all")]
    [InlineData("v_pb_gv_beats_inv_gv", "playbook")]
    [InlineData("v_pb_hv_beats_inv_hv", "playbook")]
    public void Vars_Node1_FollowAnsiblePrecedence(string variable, string expected)
    {
        Model.FindHost("node1")!.Vars[variable].Should().Be(expected);
    }

    [Fact]
    public void Vars_HostWithoutOwnVars_GetsGroupValues()
    {
        var node2 = Model.FindHost("node2")!;

        node2.Vars["v_host_beats_group"].Should().Be("group");
        node2.Vars["v_inv_host_beats_gv"].Should().Be("group_vars");
        node2.Vars.Should().NotContainKey("v_alpha");
    }

    [Fact]
    public void Vars_GroupPriority_IsNotAVariable()
    {
        Model.FindHost("node1")!.Vars.Should().NotContainKey("ansible_group_priority");
        Model.Groups["aaa"].Priority.Should().Be(10);
        Model.Groups["bbb"].Priority.Should().Be(1);
    }

    [Fact]
    public void Vars_WithoutPlaybookDirectory_InventoryGroupVarsWin()
    {
        var model = InventoryFixtures.LoadClean("precedence/inventory/hosts");

        model.FindHost("node1")!.Vars["v_pb_gv_beats_inv_gv"].Should().Be("inventory");
        model.FindHost("node1")!.Vars["v_pb_hv_beats_inv_hv"].Should().Be("inventory");
    }

    [Fact]
    public void WithVarsDirectory_ReturnsNewModel_LeavingTheOriginalUnchanged()
    {
        var original = InventoryFixtures.LoadClean("precedence/inventory/hosts");

        var layered = original.WithVarsDirectory(InventoryFixtures.PathOf("precedence", "playbook"), new DiagnosticBag());

        layered.Should().NotBeSameAs(original);
        original.FindHost("node1")!.Vars["v_pb_beats_inv"].Should().Be("inventory-group_vars-all");
        layered.FindHost("node1")!.Vars["v_pb_beats_inv"].Should().Be("playbook-group_vars-all");
    }

    [Fact]
    public void WithVarsDirectory_CalledTwice_LaterDirectoryWins()
    {
        using var temp = new TempInventory();
        temp.Write("hosts", "web1\n");
        temp.Write("first/group_vars/all.yml", "who: first\nonly_first: 1\n");
        temp.Write("second/group_vars/all.yml", "who: second\n");
        var diagnostics = new DiagnosticBag();

        var model = temp.Load("hosts").Model
            .WithVarsDirectory(Path.Combine(temp.Dir, "first"), diagnostics)
            .WithVarsDirectory(Path.Combine(temp.Dir, "second"), diagnostics);

        diagnostics.Should().BeEmpty();
        model.FindHost("web1")!.Vars["who"].Should().Be("second");
        model.FindHost("web1")!.Vars["only_first"].Should().Be(1L);
    }

    [Fact]
    public void Vars_DeeperChildGroup_BeatsShallowerGroupRegardlessOfName()
    {
        using var temp = new TempInventory();
        var (model, diagnostics) = temp.LoadText("hosts", """
            [zzz]
            h1

            [zzz:vars]
            color=parent

            [zzz:children]
            aaa

            [aaa]
            h1

            [aaa:vars]
            color=child
            """);

        diagnostics.Should().BeEmpty();
        model.FindHost("h1")!.Vars["color"].Should().Be("child");
        model.Groups["aaa"].Depth.Should().Be(2);
    }

    [Fact]
    public void Vars_MagicVariables_AreSet()
    {
        var node1 = Model.FindHost("node1")!;

        node1.Vars["inventory_hostname"].Should().Be("node1");
        node1.Vars["inventory_hostname_short"].Should().Be("node1");
        node1.Vars["group_names"].Should().BeEquivalentTo(new[] { "aaa", "bbb", "ccc", "ddd", "infra", "nodes" }, o => o.WithStrictOrdering());
        node1.Vars["inventory_file"].Should().Be(InventoryFixtures.PathOf("precedence", "inventory", "hosts"));
        node1.Vars["inventory_dir"].Should().Be(InventoryFixtures.PathOf("precedence", "inventory"));
    }

    [Theory]
    [InlineData("web1.example.com", "web1")]
    [InlineData("web1", "web1")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("fe80::1", "fe80::1")]
    public void Vars_InventoryHostnameShort_CutsAtFirstDotExceptForAddresses(string name, string expected)
    {
        var model = InventoryLoader.Load([name + ","], new DiagnosticBag());

        model.FindHost(name)!.Vars["inventory_hostname_short"].Should().Be(expected);
    }

    private static InventoryModel LoadWithPlaybookVars()
    {
        var diagnostics = new DiagnosticBag();
        var model = InventoryFixtures.LoadClean("precedence/inventory/hosts")
            .WithVarsDirectory(InventoryFixtures.PathOf("precedence", "playbook"), diagnostics);
        diagnostics.Should().BeEmpty();
        return model;
    }
}
