namespace StateForge.Modules.Host.Sysctl;

/// <summary>
/// A sysctl.conf-format file, edited line by line. Lines starting with '#' or ';' are comments;
/// an assignment is `key = value` with any spacing, optionally after '-' (ignore failures). Like
/// `sysctl -p`, the last assignment of a key wins.
/// </summary>
internal sealed class SysctlConf
{
    private readonly List<string> lines;
    private bool trailingNewline;

    private SysctlConf(List<string> lines, bool trailingNewline)
    {
        this.lines = lines;
        this.trailingNewline = trailingNewline;
    }

    public static SysctlConf Parse(string text)
    {
        if (text.Length == 0)
        {
            return new SysctlConf([], true);
        }

        var trailing = text.EndsWith('\n');
        return new SysctlConf([.. (trailing ? text[..^1] : text).Split('\n')], trailing);
    }

    public string Render() => lines.Count == 0 ? "" : string.Join('\n', lines) + (trailingNewline ? "\n" : "");

    /// <summary>The lines (0-based) that assign the key, in file order.</summary>
    public List<int> Assignments(string key)
    {
        var path = SysctlKey.ProcPath(key);
        var found = new List<int>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (Assignment(lines[i]) is { } a && SysctlKey.ProcPath(a.Key) == path)
            {
                found.Add(i);
            }
        }

        return found;
    }

    /// <summary>The value the file gives the key (its last assignment), or null.</summary>
    public string? Value(string key) => Assignments(key) is { Count: > 0 } found ? Assignment(lines[found[^1]])!.Value.Value : null;

    /// <summary>
    /// Sets the key: its last assignment is edited in place (its spacing kept); earlier
    /// assignments of the same key, dead since the last one wins, are removed; without any, the
    /// assignment is appended as `key = value`. Other keys' lines are never touched.
    /// </summary>
    public void Set(string key, string value)
    {
        var found = Assignments(key);
        if (found.Count == 0)
        {
            lines.Add($"{key} = {value}");
            trailingNewline = true;
            return;
        }

        var last = found[^1];
        lines[last] = Assignment(lines[last])!.Value.Prefix + value;
        foreach (var i in found.Take(found.Count - 1).OrderDescending())
        {
            lines.RemoveAt(i);
        }
    }

    /// <summary>Removes every assignment of the key.</summary>
    public void Remove(string key)
    {
        foreach (var i in Assignments(key).OrderDescending())
        {
            lines.RemoveAt(i);
        }
    }

    /// <summary>Key, value, and the text before the value (`  key = `) of an assignment line; null for other lines.</summary>
    private static (string Key, string Value, string Prefix)? Assignment(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
        {
            return null;
        }

        var eq = line.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
        {
            return null;
        }

        var key = line[..eq].Trim();
        if (key.StartsWith('-'))
        {
            key = key[1..].TrimStart();
        }

        var valueStart = eq + 1;
        while (valueStart < line.Length && line[valueStart] is ' ' or '\t')
        {
            valueStart++;
        }

        return key.Length == 0 ? null : (key, line[valueStart..].Trim(), line[..valueStart]);
    }
}
