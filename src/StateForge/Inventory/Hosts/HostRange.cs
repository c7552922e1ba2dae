using System.Globalization;

namespace StateForge.Inventory.Hosts;

/// <summary>
/// Expands Ansible host ranges: node[1:3], web[01:10] (zero-padded), db-[a:c], [1:10:2] with a
/// stride, several ranges in one name. Errors carry Ansible's wording.
/// </summary>
internal static class HostRange
{
    /// <summary>A guard against a typo such as [1:10000000] eating the machine.</summary>
    public const int MaxHosts = 100_000;

    public const int MaxRanges = 16;

    private const string AsciiLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public static bool HasRange(string pattern) => pattern.Contains('[', StringComparison.Ordinal);

    /// <summary>The host names a pattern stands for; throws <see cref="FormatException"/> on a bad range.</summary>
    public static IReadOnlyList<string> Expand(string pattern)
    {
        // Each range is a level of recursion holding a copy of the name: thousands of them would
        // exhaust the stack or the memory long before the host limit is reached.
        if (pattern.Count(c => c == '[') > MaxRanges)
        {
            throw new FormatException($"a host name may hold at most {MaxRanges} ranges");
        }

        var result = new List<string>();
        Expand(pattern, result);
        return result;
    }

    private static void Expand(string line, List<string> result)
    {
        var (head, range, tail) = Cut(line);
        var bounds = range.Split(':');
        if (bounds.Length is not (2 or 3))
        {
            throw new FormatException("host range must be begin:end or begin:end:step");
        }

        var begin = bounds[0].Length == 0 ? "0" : bounds[0];
        var end = bounds[1];
        var step = bounds.Length == 3 ? ParseInt(bounds[2]) : 1;
        if (end.Length == 0)
        {
            throw new FormatException("host range must specify end value");
        }

        var width = 0;
        if (begin[0] == '0' && begin.Length > 1)
        {
            if (begin.Length != end.Length)
            {
                throw new FormatException("host range must specify equal-length begin and end formats");
            }

            width = begin.Length;
        }

        if (step == 0)
        {
            throw new FormatException("host range step must not be zero");
        }

        foreach (var item in Sequence(begin, end, step, width))
        {
            var name = head + item + tail;
            if (HasRange(name))
            {
                Expand(name, result);
            }
            else
            {
                result.Add(name);
            }

            if (result.Count > MaxHosts)
            {
                throw new FormatException($"host range expands to more than {MaxHosts} hosts");
            }
        }
    }

    private static (string Head, string Range, string Tail) Cut(string line)
    {
        // Ansible replaces the first '[' and the first ']' with '|' and splits on '|'.
        var open = line.IndexOf('[', StringComparison.Ordinal);
        var replaced = line.Remove(open, 1).Insert(open, "|");
        var close = replaced.IndexOf(']', StringComparison.Ordinal);
        if (close < 0)
        {
            throw new FormatException("host range is missing its closing ']'");
        }

        var parts = replaced.Remove(close, 1).Insert(close, "|").Split('|');
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : throw new FormatException("host range must be begin:end or begin:end:step");
    }

    private static IEnumerable<string> Sequence(string begin, string end, int step, int width)
    {
        var b = begin.Length == 1 ? AsciiLetters.IndexOf(begin[0], StringComparison.Ordinal) : -1;
        var e = end.Length == 1 ? AsciiLetters.IndexOf(end[0], StringComparison.Ordinal) : -1;
        if (b >= 0 && e >= 0)
        {
            if (b > e)
            {
                throw new FormatException("host range must have begin <= end");
            }

            return step > 0 ? Stride(b, e, step).Select(i => AsciiLetters[i].ToString()) : [];
        }

        var from = ParseInt(begin);
        var to = ParseInt(end);
        return Stride(from, to, step).Select(i => i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));
    }

    /// <summary>Python's range(from, to + 1, step); letter ranges never step backwards.</summary>
    private static IEnumerable<int> Stride(int from, int to, int step)
    {
        var stop = to + 1;
        for (var i = from; step > 0 ? i < stop : i > stop; i += step)
        {
            yield return i;
        }
    }

    private static int ParseInt(string text) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"host range bound '{text}' is neither a number nor a single letter");
}
