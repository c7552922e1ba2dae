using StateForge.Diagnostics;
using StateForge.Inventory.Building;

namespace StateForge.Inventory.Patterns;

/// <summary>
/// Resolves host patterns against an inventory graph, by Ansible's rules: a word selects a host
/// of that name, else every group it matches (with the hosts of child groups) and, for globs
/// and regexes or when no group matched, every host it matches; 'localhost' falls back to the
/// implicit localhost. Results are host indexes in inventory order, without repeats;
/// <see cref="ImplicitLocalhost"/> stands for the implicit localhost.
/// </summary>
internal sealed class HostPatternMatcher(InventoryGraph graph, Func<string, int?> localhostFor)
{
    public const int ImplicitLocalhost = int.MaxValue;

    public IReadOnlyList<int> Match(string pattern, SourceSpan at, DiagnosticBag diagnostics)
    {
        if (HostPatternParts.UnbalancedBracket(pattern) is { } bracket)
        {
            // Ansible's splitter would silently drop the stray bracket ('web[' selects 'web').
            diagnostics.Add(DiagnosticCatalog.BadHostPattern(at, pattern, $"'{bracket}' is not balanced; a subscript or range is written [n], [n:m] or [ab]"));
            return [];
        }

        var words = HostPatternParts.Split(pattern);
        if (words.Count == 0)
        {
            diagnostics.Add(DiagnosticCatalog.BadHostPattern(at, pattern, "the pattern names no hosts or groups"));
            return [];
        }

        var selected = new HashSet<int>();
        foreach (var word in HostPatternParts.Ordered(words))
        {
            if (graph.FindHost(word) is { } host)
            {
                selected.Add(host.Index);
                continue;
            }

            var part = HostPatternParts.Parse(word);
            if (part.Expression.Length == 0)
            {
                diagnostics.Add(DiagnosticCatalog.BadHostPattern(at, pattern, $"'{word}' needs a host or group name after '{word[0]}'"));
                return [];
            }

            if (MatchOne(part, pattern, at, diagnostics) is not { } matched)
            {
                return [];
            }

            switch (part.Operation)
            {
                case PatternOperation.Exclusion:
                    selected.ExceptWith(matched);
                    break;
                case PatternOperation.Intersection:
                    selected.IntersectWith(matched);
                    break;
                default:
                    selected.UnionWith(matched);
                    break;
            }
        }

        return selected.Order().ToList();
    }

    /// <summary>The hosts of one word, or null when it is malformed (diagnosed).</summary>
    private List<int>? MatchOne(PatternPart part, string pattern, SourceSpan at, DiagnosticBag diagnostics)
    {
        var matcher = NameMatcher.Create(part.Expression, out var error);
        if (matcher is null)
        {
            diagnostics.Add(DiagnosticCatalog.BadHostPattern(at, pattern, error!));
            return null;
        }

        var found = new HashSet<int>();
        var matchedGroup = false;
        foreach (var group in graph.Groups)
        {
            if (matcher.IsMatch(group.Name))
            {
                matchedGroup = true;
                found.UnionWith(group.AllHosts);
            }
        }

        if (!matchedGroup || matcher.IsWildcard || part.Expression.Contains('.', StringComparison.Ordinal))
        {
            foreach (var host in graph.Hosts)
            {
                if (matcher.IsMatch(host.Name))
                {
                    found.Add(host.Index);
                }
            }
        }

        if (found.Count == 0 && localhostFor(part.Expression) is { } local)
        {
            found.Add(local);
        }

        var hosts = found.Order().ToList();
        return part.Subscript is null || hosts.Count == 0 ? hosts : ApplySubscript(hosts, part, pattern, at, diagnostics);
    }

    private static List<int>? ApplySubscript(List<int> hosts, PatternPart part, string pattern, SourceSpan at, DiagnosticBag diagnostics)
    {
        var (start, end) = (part.Subscript!.Start, part.Subscript.End);

        // Ansible treats [x:0] like [x] ("if end:" is false for 0).
        if (end is null or 0)
        {
            var index = start < 0 ? hosts.Count + start : start;
            if (index < 0 || index >= hosts.Count)
            {
                diagnostics.Add(DiagnosticCatalog.BadHostPattern(at, pattern, $"subscript [{start}] is out of range: '{part.Expression}' has {hosts.Count} host(s)"));
                return null;
            }

            return [hosts[index]];
        }

        var last = end == -1 ? hosts.Count - 1 : end.Value;
        return start >= hosts.Count || last < start ? [] : hosts.GetRange(start, Math.Min(last, hosts.Count - 1) - start + 1);
    }
}
