using System.Text.RegularExpressions;

namespace StateForge.Templating.Runtime;

/// <summary>
/// Ansible's regex filters on .NET regexes: Python's `(?P&lt;name&gt;…)`, `(?P=name)`, and `\1` /
/// `\g&lt;name&gt;` in replacements are translated; every match has a time limit.
/// </summary>
internal static partial class RegexFilters
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public static void Register(FunctionRegistry r)
    {
        r.Filter("regex_replace", "value regex replace ignorecase multiline count", a => Run(() =>
            Create(a, "regex").Replace(PyFormat.Str(a.Get("value")), Replacement(a.OptionalString("replace") ?? ""), a.Long("count", 0) is > 0 and var n ? (int)n : -1)));
        r.Filter("regex_search", "value regex *args **kwargs", Search);
        r.Filter("regex_findall", "value regex ignorecase multiline", a => FindAll(Create(a, "regex"), PyFormat.Str(a.Get("value"))));
        r.Filter("regex_escape", "value re_type", a => Regex.Escape(PyFormat.Str(a.Get("value"))));
    }

    /// <param name="anchored">Match only at the start, like Python's re.match.</param>
    public static Regex Create(string pattern, bool ignoreCase = false, bool multiline = false, bool anchored = false)
    {
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : 0) | (multiline ? RegexOptions.Multiline : 0);
        try
        {
            var translated = PythonGroups().Replace(pattern.Replace("(?P=", @"\k<", StringComparison.Ordinal), "(?<");
            return new Regex(anchored ? @"\A(?:" + translated + ")" : translated, options, Timeout);
        }
        catch (ArgumentException e)
        {
            throw new JinjaRuntimeException($"invalid regular expression '{pattern}': {e.Message}");
        }
    }

    /// <summary>Runs a regex operation, turning a timeout into a template error.</summary>
    public static T Run<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (RegexMatchTimeoutException)
        {
            throw new JinjaRuntimeException("regular expression took too long (more than 1 second)");
        }
    }

    private static Regex Create(Args a, string parameter) =>
        Create(a.String(parameter), a.Has("ignorecase") && a.Bool("ignorecase"), a.Has("multiline") && a.Bool("multiline"));

    private static object? Search(Args a)
    {
        bool Flag(string name) => a.ExtraKeywords.TryGetValue(name, out var v) && PyValue.Truthy(v);
        var regex = Create(a.String("regex"), Flag("ignorecase"), Flag("multiline"));
        var m = Run(() => regex.Match(PyFormat.Str(a.Get("value"))));
        if (!m.Success)
        {
            return null;
        }

        if (a.Rest.Count == 0)
        {
            return m.Value;
        }

        return a.Rest.Select(g => (object?)GroupValue(m, PyFormat.Str(g))).ToList();
    }

    private static string? GroupValue(Match m, string reference)
    {
        var numbered = NumberedGroup().Match(reference);
        if (numbered.Success)
        {
            return m.Groups[int.Parse(numbered.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)].Value;
        }

        var named = NamedGroup().Match(reference);
        return named.Success ? m.Groups[named.Groups[1].Value].Value : throw new JinjaRuntimeException($"regex_search: unknown group reference '{reference}'");
    }

    private static List<object?> FindAll(Regex regex, string input) => Run(() =>
        regex.Matches(input).Select(m => m.Groups.Count switch
        {
            1 => (object?)m.Value,
            2 => m.Groups[1].Value,
            _ => m.Groups.Cast<Group>().Skip(1).Select(g => (object?)g.Value).ToList(),
        }).ToList());

    /// <summary>Python's replacement syntax (\1, \g&lt;1&gt;, \g&lt;name&gt;) in .NET's ($1, ${name}); a literal $ is doubled.</summary>
    private static string Replacement(string python) =>
        PythonReference().Replace(python.Replace("$", "$$", StringComparison.Ordinal), m =>
            m.Groups["n"].Success ? "${" + m.Groups["n"].Value + "}" : m.Groups["g"].Success ? "${" + m.Groups["g"].Value + "}" : m.Value[1..]);

    [GeneratedRegex(@"\(\?P<")]
    private static partial Regex PythonGroups();

    [GeneratedRegex(@"\\(?:(?<n>\d{1,2})|g<(?<g>\w+)>|\\)")]
    private static partial Regex PythonReference();

    [GeneratedRegex(@"^\\(\d+)$")]
    private static partial Regex NumberedGroup();

    [GeneratedRegex(@"^\\g<(\w+)>$")]
    private static partial Regex NamedGroup();
}
