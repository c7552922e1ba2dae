using StateForge.Diagnostics;
using StateForge.Inventory.Building;
using StateForge.Inventory.Hosts;
using StateForge.Inventory.Vars;

namespace StateForge.Inventory;

/// <summary>
/// Loads the inventory from the -i sources, as Ansible does: each is a YAML or INI file (told
/// apart by content), a directory (every file in it, recursively, in name order), or a
/// comma-separated host list such as <c>web1,web2,</c>. Several sources merge into one model,
/// and group_vars/ and host_vars/ beside each source (inside it, for a directory) are read.
/// </summary>
public static class InventoryLoader
{
    /// <summary>Loads and merges the sources; with none, the inventory holds only the implicit localhost.</summary>
    public static InventoryModel Load(IReadOnlyList<string> sources, DiagnosticBag diagnostics)
    {
        var builder = new InventoryBuilder(diagnostics);
        var varsDirectories = new List<string>();
        foreach (var source in sources)
        {
            if (string.IsNullOrWhiteSpace(source))
            {
                continue;
            }

            if (source.Contains(',', StringComparison.Ordinal) && !File.Exists(source) && !Directory.Exists(source))
            {
                LoadHostList(builder, source);
            }
            else if (Directory.Exists(source))
            {
                InventorySourceReader.ReadDirectory(builder, source);
                varsDirectories.Add(source);
            }
            else if (File.Exists(source))
            {
                InventorySourceReader.ReadFile(builder, source);
                varsDirectories.Add(Path.GetDirectoryName(Path.GetFullPath(source))!);
            }
            else
            {
                diagnostics.Add(DiagnosticCatalog.FileNotFound(SourceSpan.None, "inventory source", source));
            }
        }

        var graph = builder.Build();
        var layers = varsDirectories
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Select(d => VarsDirectory.Load(d, graph.Groups.Select(g => g.Name), InventoryModel.HostNamesForVars(graph), diagnostics))
            .ToList();
        return new InventoryModel(graph, [.. sources], layers, []);
    }

    /// <summary>Ansible's host_list plugin: "host1,host2:2222," puts each host in 'ungrouped'.</summary>
    private static void LoadHostList(InventoryBuilder builder, string source)
    {
        builder.CurrentSource = null;
        foreach (var entry in source.Split(',').Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            var (name, port) = HostAddress.Split(entry);
            if (name.Contains('[', StringComparison.Ordinal))
            {
                (name, port) = (entry, null);
            }

            builder.AddHost(name, builder.Ungrouped, port, SourceSpan.None);
        }
    }
}
