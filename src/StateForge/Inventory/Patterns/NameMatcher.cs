using System.Text;
using System.Text.RegularExpressions;

namespace StateForge.Inventory.Patterns;

/// <summary>
/// Tests host and group names against one pattern word the way Ansible's _match_list does:
/// '~regex' matches from the start of the name (Python's re.match), anything else is an
/// fnmatch shell glob (* ? [seq] [!seq]) that must match the whole name, case-sensitively.
/// </summary>
internal sealed class NameMatcher
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly string? literal;
    private readonly Regex? regex;

    private NameMatcher(string? literal, Regex? regex)
    {
        this.literal = literal;
        this.regex = regex;
    }

    /// <summary>Whether the word is a regex or has glob characters, so it may match many names.</summary>
    public bool IsWildcard => regex is not null;

    public bool IsMatch(string name) => literal is not null ? string.Equals(literal, name, StringComparison.Ordinal) : regex!.IsMatch(name);

    /// <summary>A matcher, or null with the reason when a ~regex does not compile.</summary>
    public static NameMatcher? Create(string word, out string? error)
    {
        error = null;
        if (word.StartsWith('~'))
        {
            try
            {
                return new NameMatcher(null, new Regex("^(?:" + FromPython(word[1..]) + ")", RegexOptions.CultureInvariant, Timeout));
            }
            catch (ArgumentException e)
            {
                error = $"invalid regular expression: {e.Message}";
                return null;
            }
        }

        if (word.IndexOfAny(['*', '?', '[']) < 0)
        {
            return new NameMatcher(word, null);
        }

        try
        {
            return new NameMatcher(null, new Regex(TranslateGlob(word), RegexOptions.CultureInvariant | RegexOptions.Singleline, Timeout));
        }
        catch (ArgumentException)
        {
            // Only a [x-y] class can fail to translate: its range runs backwards, as in 'web[0:-1]'.
            error = $"'{word}' is not a valid glob: a [x-y] range in it runs backwards (a slice of a group is written [0:2] or [1:])";
            return null;
        }
    }

    /// <summary>Python's fnmatch.translate, producing a .NET pattern anchored at both ends.</summary>
    internal static string TranslateGlob(string glob)
    {
        var sb = new StringBuilder("^(?:");
        var i = 0;
        while (i < glob.Length)
        {
            var c = glob[i++];
            switch (c)
            {
                case '*':
                    while (i < glob.Length && glob[i] == '*')
                    {
                        i++;
                    }

                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    i = AppendClass(glob, i, sb);
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.Append(@")\z").ToString();
    }

    private static int AppendClass(string glob, int i, StringBuilder sb)
    {
        var j = i;
        if (j < glob.Length && glob[j] == '!')
        {
            j++;
        }

        if (j < glob.Length && glob[j] == ']')
        {
            j++;
        }

        while (j < glob.Length && glob[j] != ']')
        {
            j++;
        }

        if (j >= glob.Length)
        {
            sb.Append(@"\[");
            return i;
        }

        var stuff = glob[i..j];
        var negate = stuff.StartsWith('!');
        if (negate)
        {
            stuff = stuff[1..];
        }

        var escaped = new StringBuilder();
        foreach (var ch in stuff)
        {
            escaped.Append(ch is '\\' or '[' or ']' or '^' ? "\\" + ch : ch.ToString());
        }

        sb.Append('[').Append(negate ? "^" : "").Append(escaped).Append(']');
        return j + 1;
    }

    /// <summary>The few Python-only spellings: named groups (?P&lt;n&gt;…) and back-references (?P=n).</summary>
    private static string FromPython(string pattern) =>
        Regex.Replace(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), @"\(\?P=(\w+)\)", @"\k<$1>");
}
