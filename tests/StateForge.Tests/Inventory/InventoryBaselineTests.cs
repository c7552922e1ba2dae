using StateForge.Diagnostics;
using StateForge.Inventory;

namespace StateForge.Tests.Inventory;

/// <summary>
/// Graph and list output compared with baselines taken from ansible-inventory (ansible-core
/// 2.14). Set STATEFORGE_UPDATE_BASELINES=1 to rewrite the baselines from the current output.
/// </summary>
public sealed class InventoryBaselineTests
{
    public static TheoryData<string, string> Scenarios => new()
    {
        { "openshift", "openshift/hosts" },
        { "yaml", "yaml/inventory.yml" },
        { "ini-values", "ini-values/hosts.ini" },
        { "directory", "directory" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Graph_MatchesAnsibleInventoryGraph(string scenario, string source)
    {
        var model = InventoryFixtures.LoadClean(source);
        AssertBaseline($"{scenario}.graph.txt", InventoryRenderer.Graph(model));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void ListJson_MatchesAnsibleInventoryList(string scenario, string source)
    {
        var model = InventoryFixtures.LoadClean(source);
        AssertBaseline($"{scenario}.list.json", InventoryRenderer.ListJson(model));
    }

    [Fact]
    public void ListJson_WithPlaybookVarsDirectory_MatchesAnsibleInventoryWithPlaybookDir()
    {
        var diagnostics = new DiagnosticBag();
        var model = InventoryFixtures.LoadClean("precedence/inventory/hosts")
            .WithVarsDirectory(InventoryFixtures.PathOf("precedence", "playbook"), diagnostics);

        diagnostics.Should().BeEmpty();
        AssertBaseline("precedence.list.json", InventoryRenderer.ListJson(model));
    }

    private static void AssertBaseline(string name, string rendered)
    {
        // The baselines are ansible-inventory's stdout, which ends with a newline.
        var actual = rendered + "\n";
        var path = InventoryFixtures.PathOf("Baselines", name);
        if (Environment.GetEnvironmentVariable("STATEFORGE_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        File.Exists(path).Should().BeTrue($"baseline {name} should exist (run with STATEFORGE_UPDATE_BASELINES=1 to create it)");
        var expected = File.ReadAllText(path);
        actual.Should().Be(expected, $"the output should match baseline {name}; diff:\n{LineDiff.Describe(expected, actual)}");
    }
}
