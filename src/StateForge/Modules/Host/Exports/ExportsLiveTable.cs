using System.Text;

namespace StateForge.Modules.Host.Exports;

/// <summary>One line of the live export table: a path exported to one client with the options the kernel uses.</summary>
internal sealed record ExportsLiveEntry(string Path, ExportsClient Client);

/// <summary>
/// `exportfs -v`: a path padded to 14 columns, a tab and `client(options)`; a longer path on a
/// line of its own with the client on the next, after two tabs. `*` shows as &lt;world&gt;.
/// </summary>
internal static class ExportsLiveTable
{
    public static List<ExportsLiveEntry> Parse(string output)
    {
        var entries = new List<ExportsLiveEntry>();
        string? path = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            string clientText;
            if (char.IsWhiteSpace(line[0]))
            {
                clientText = line.Trim();
            }
            else
            {
                var tab = line.LastIndexOf('\t');
                if (tab < 0)
                {
                    path = line.TrimEnd();
                    continue;
                }

                path = line[..tab].TrimEnd();
                clientText = line[(tab + 1)..].Trim();
            }

            if (path is not null && ExportsClient.Parse(clientText) is { } client)
            {
                entries.Add(new ExportsLiveEntry(path, client));
            }
        }

        return entries;
    }

    /// <summary>Entries in `exportfs -v`'s long form (the parser reads both), for simulating the table after `exportfs -ra`.</summary>
    public static string Render(IEnumerable<ExportsLiveEntry> entries)
    {
        var sb = new StringBuilder();
        foreach (var e in entries)
        {
            var host = e.Client.HostKey == "*" ? "<world>" : e.Client.Host;
            sb.Append(e.Path).Append("\n\t\t").Append(host).Append('(').Append(string.Join(',', e.Client.Options)).Append(")\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// Whether the live table exports the path to exactly these clients with the options asked;
    /// each difference is described for the plan.
    /// </summary>
    public static List<string> Differences(IReadOnlyList<ExportsLiveEntry> live, string path, IReadOnlyList<ExportsClient> wanted)
    {
        var mine = live.Where(e => ExportsFile.SamePath(e.Path, path)).ToList();
        var problems = new List<string>();
        foreach (var client in wanted)
        {
            var match = mine.FirstOrDefault(e => SameHost(e.Client.HostKey, client.HostKey));
            if (match is null)
            {
                problems.Add($"{client.Host} is not in the live export table");
                continue;
            }

            var differ = ExportsOptions.LiveDifferences(client.Families, match.Client.Families);
            if (differ.Count > 0)
            {
                problems.Add($"{client.Host} is exported with {string.Join(',', match.Client.Options)}, not {string.Join(',', differ)}");
            }
        }

        problems.AddRange(mine.Where(e => !wanted.Any(c => SameHost(e.Client.HostKey, c.HostKey)))
            .Select(e => $"{e.Client.Host} is exported but not asked for"));
        return problems;
    }

    /// <summary>exportfs may show a resolved name's canonical form (host2 → host2.lab): a name matches its longer form.</summary>
    private static bool SameHost(string live, string wanted) =>
        live == wanted || live.StartsWith(wanted + ".", StringComparison.Ordinal);
}
