using System.Collections.Immutable;
using System.Text;

namespace StateForge.Modules.Host.Exports;

/// <summary>One export line of the file (a backslash-continued line counts as one), with clients' default options applied.</summary>
internal sealed record ExportsEntry(int FirstLine, int LastLine, string Path, ImmutableArray<ExportsClient> Clients, string? Comment)
{
    public string Key => string.Join(' ', Clients.Select(c => c.Key));
}

/// <summary>
/// An exports(5) file edited line by line: comments, blank lines and other paths' lines stay as
/// they are; a path's entry is one line.
/// </summary>
internal sealed class ExportsFile
{
    private readonly List<string> lines;
    private bool trailingNewline;

    private ExportsFile(List<string> lines, bool trailingNewline)
    {
        this.lines = lines;
        this.trailingNewline = trailingNewline;
    }

    public static ExportsFile Parse(string text)
    {
        if (text.Length == 0)
        {
            return new ExportsFile([], true);
        }

        var trailing = text.EndsWith('\n');
        return new ExportsFile([.. (trailing ? text[..^1] : text).Split('\n')], trailing);
    }

    public string Render() => lines.Count == 0 ? "" : string.Join('\n', lines) + (trailingNewline ? "\n" : "");

    /// <summary>Every export entry, in file order.</summary>
    public List<ExportsEntry> Entries()
    {
        var entries = new List<ExportsEntry>();
        for (var i = 0; i < lines.Count; i++)
        {
            var first = i;
            var logical = new StringBuilder();
            var text = lines[i];
            while (text.EndsWith('\\') && i + 1 < lines.Count)
            {
                logical.Append(text[..^1]).Append(' ');
                text = lines[++i];
            }

            logical.Append(text);
            if (ParseEntry(logical.ToString()) is var (path, clients, comment))
            {
                entries.Add(new ExportsEntry(first, i, path, clients, comment));
            }
        }

        return entries;
    }

    public List<ExportsEntry> EntriesFor(string path) => [.. Entries().Where(e => SamePath(e.Path, path))];

    /// <summary>Makes `line` the path's only entry: it replaces the first one (keeping its trailing comment), the others go; else it is appended.</summary>
    public void Set(string path, string line)
    {
        var found = EntriesFor(path);
        if (found.Count == 0)
        {
            lines.Add(line);
            trailingNewline = true;
            return;
        }

        foreach (var extra in found.Skip(1).Reverse())
        {
            lines.RemoveRange(extra.FirstLine, extra.LastLine - extra.FirstLine + 1);
        }

        var first = found[0];
        lines.RemoveRange(first.FirstLine, first.LastLine - first.FirstLine + 1);
        lines.Insert(first.FirstLine, first.Comment is null ? line : line + " " + first.Comment);
    }

    public void Remove(string path)
    {
        foreach (var entry in EntriesFor(path).AsEnumerable().Reverse())
        {
            lines.RemoveRange(entry.FirstLine, entry.LastLine - entry.FirstLine + 1);
        }
    }

    /// <summary>The line for a path and its clients; a path with blanks or quotes is double-quoted, as exports(5) allows.</summary>
    public static string Line(string path, IEnumerable<ExportsClient> clients) =>
        (path.Any(c => char.IsWhiteSpace(c) || c is '#') ? "\"" + path + "\"" : path) + " " + string.Join(' ', clients);

    /// <summary>Paths compare without a trailing slash, as exportfs resolves them.</summary>
    public static bool SamePath(string a, string b) => Trim(a) == Trim(b);

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private static (string Path, ImmutableArray<ExportsClient> Clients, string? Comment)? ParseEntry(string line)
    {
        var (body, comment) = SplitComment(line);
        var text = body.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        string path;
        string rest;
        if (text[0] == '"')
        {
            var close = text.IndexOf('"', 1);
            if (close < 0)
            {
                return null;
            }

            path = text[1..close];
            rest = text[(close + 1)..];
        }
        else
        {
            var end = text.IndexOfAny([' ', '\t']);
            path = end < 0 ? text : text[..end];
            rest = end < 0 ? "" : text[end..];
        }

        var clients = ImmutableArray.CreateBuilder<ExportsClient>();
        var defaults = new List<string>();
        foreach (var word in rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith('-'))
            {
                defaults.AddRange(ExportsClient.SplitOptions(word[1..]));
            }
            else if (ExportsClient.Parse(word) is { } client)
            {
                clients.Add(client with { Options = [.. defaults, .. client.Options] });
            }
        }

        return (Unescape(path), clients.ToImmutable(), comment);
    }

    /// <summary>The text before a '#' outside quotes, and the comment from the '#' on (or null).</summary>
    private static (string Body, string? Comment) SplitComment(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == '#' && !quoted)
            {
                return (line[..i], i == 0 || line[..i].Trim().Length == 0 ? null : line[i..]);
            }
        }

        return (line, null);
    }

    /// <summary>exports(5) octal escapes: "\040" is a space.</summary>
    private static string Unescape(string path)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 3 < path.Length && path.Substring(i + 1, 3) is var octal && octal.All(c => c is >= '0' and <= '7'))
            {
                sb.Append((char)Convert.ToInt32(octal, 8));
                i += 3;
            }
            else
            {
                sb.Append(path[i]);
            }
        }

        return sb.ToString();
    }

    public static string Describe(IEnumerable<ExportsEntry> entries) =>
        string.Concat(entries.Select(e => Line(e.Path, e.Clients) + "\n"));
}
