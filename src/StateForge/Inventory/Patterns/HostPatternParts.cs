using System.Globalization;
using System.Text.RegularExpressions;
using StateForge.Inventory.Hosts;

namespace StateForge.Inventory.Patterns;

internal enum PatternOperation
{
    Union,
    Intersection,
    Exclusion,
}

/// <summary>One word of a host pattern: its operation, the name or glob or ~regex, an optional [subscript].</summary>
internal sealed record PatternPart(string Text, PatternOperation Operation, string Expression, Subscript? Subscript);

/// <summary>web[0] is (0, null); web[0:2] is (0, 2); web[1:] is (1, -1), as Ansible stores them.</summary>
internal sealed record Subscript(int Start, int? End);

/// <summary>
/// Splits a host pattern as Ansible's split_host_pattern does: on commas if there are any; else
/// on colons outside [brackets], unless the whole pattern reads as one address (an IPv6
/// address, host:port, a host range). Then unions come first, intersections (&amp;) next,
/// exclusions (!) last; with no union at all, 'all' is implied.
/// </summary>
internal static partial class HostPatternParts
{
    public static IReadOnlyList<string> Split(string pattern)
    {
        IEnumerable<string> words = pattern.Contains(',', StringComparison.Ordinal)
            ? pattern.Split(',')
            : HostAddress.IsAddress(pattern)
                ? [pattern]
                : ColonSeparated().Matches(pattern).Select(m => m.Value);
        return words.Select(w => w.Trim()).Where(w => w.Length > 0).ToList();
    }

    /// <summary>The first '[' left open or ']' never opened, if any.</summary>
    public static char? UnbalancedBracket(string pattern)
    {
        var open = false;
        foreach (var c in pattern)
        {
            if (c is '[' or ']')
            {
                if (open == (c == '['))
                {
                    return c;
                }

                open = c == '[';
            }
        }

        return open ? '[' : null;
    }

    public static IReadOnlyList<string> Ordered(IReadOnlyList<string> words)
    {
        var unions = words.Where(w => w[0] is not ('&' or '!')).ToList();
        if (unions.Count == 0)
        {
            unions.Add(InventoryModel.AllGroup);
        }

        return [.. unions, .. words.Where(w => w[0] == '&'), .. words.Where(w => w[0] == '!')];
    }

    public static PatternPart Parse(string word)
    {
        var operation = word[0] switch
        {
            '&' => PatternOperation.Intersection,
            '!' => PatternOperation.Exclusion,
            _ => PatternOperation.Union,
        };
        var expression = operation == PatternOperation.Union ? word : word[1..];
        if (expression.StartsWith('~') || WithSubscript().Match(expression) is not { Success: true } m)
        {
            return new PatternPart(word, operation, expression, null);
        }

        Subscript subscript = m.Groups[2].Success
            ? new Subscript(int.Parse(m.Groups[2].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), null)
            : new Subscript(
                int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
                m.Groups[5].Value.Length == 0 ? -1 : int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture));
        return new PatternPart(word, operation, m.Groups[1].Value, subscript);
    }

    [GeneratedRegex(@"(?:[^\s:\[\]]|\[[^\]]*\])+")]
    private static partial Regex ColonSeparated();

    [GeneratedRegex(@"^(.+)\[(?:(-?[0-9]{1,9})|([0-9]{1,9})([:-])([0-9]{0,9}))\]$")]
    private static partial Regex WithSubscript();
}
