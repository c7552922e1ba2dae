using System.Diagnostics;
using System.Text;
using StateForge.Diagnostics;
using StateForge.Inventory;

namespace StateForge.Tests.Inventory;

/// <summary>Large inventories load and match without per-host quadratic work.</summary>
public sealed class InventoryPerformanceTests
{
    [Fact]
    public void LoadAndMatch_FiveThousandHosts_Completes()
    {
        using var temp = new TempInventory();
        temp.Write("hosts", BuildIni(5000));
        for (var g = 0; g < 20; g++)
        {
            temp.Write($"group_vars/g{g}.yml", $"from_group_vars_{g}: {g}\n");
        }

        var stopwatch = Stopwatch.StartNew();
        var (model, diagnostics) = temp.Load("hosts");
        var diagnosticsFromMatching = new DiagnosticBag();
        var matched = 0;
        foreach (var pattern in new[] { "all", "g1:g2", "g*:!g3", "~host-0[0-4]", "g5[10:20]", "host-00042", "all:&g7" })
        {
            matched += model.Match(pattern, SourceSpan.None, diagnosticsFromMatching).Count;
        }

        var json = InventoryRenderer.ListJson(model);
        stopwatch.Stop();

        diagnostics.Should().BeEmpty();
        diagnosticsFromMatching.Should().BeEmpty();
        model.Hosts.Should().HaveCount(5000);
        matched.Should().BeGreaterThan(5000);
        json.Length.Should().BeGreaterThan(100_000);
    }

    [Fact]
    public void Load_TenThousandHostsListedUngroupedAndInAGroup_IsNotQuadratic()
    {
        using var temp = new TempInventory();
        var names = Enumerable.Range(0, 10_000).Select(i => $"n{i}").ToList();
        temp.Write("hosts", string.Join('\n', names) + "\n[big]\n" + string.Join('\n', names) + "\n");

        var stopwatch = Stopwatch.StartNew();
        var (model, diagnostics) = temp.Load("hosts");
        stopwatch.Stop();

        diagnostics.Should().BeEmpty();
        model.Groups["ungrouped"].Hosts.Should().BeEmpty();
        model.Groups["big"].Hosts.Should().HaveCount(10_000);
    }

    private static string BuildIni(int hosts)
    {
        var sb = new StringBuilder();
        for (var g = 0; g < 20; g++)
        {
            sb.Append("[g").Append(g).Append("]\n");
            for (var h = g; h < hosts; h += 20)
            {
                sb.Append("host-").Append(h.ToString("D5", System.Globalization.CultureInfo.InvariantCulture))
                  .Append(" ansible_host=10.0.").Append(h / 250).Append('.').Append(h % 250).Append(" idx=").Append(h).Append('\n');
            }

            sb.Append("[g").Append(g).Append(":vars]\nshared=").Append(g).Append('\n');
        }

        sb.Append("[everything:children]\n");
        for (var g = 0; g < 20; g++)
        {
            sb.Append('g').Append(g).Append('\n');
        }

        return sb.ToString();
    }
}
