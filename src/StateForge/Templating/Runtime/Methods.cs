namespace StateForge.Templating.Runtime;

/// <summary>
/// The Python methods playbooks call on values: str (split, strip, startswith, replace, join,
/// format, …), dict (keys, values, items, get) and list (index, count). Mutating methods such as
/// list.append are not offered: variables are shared and read-only.
/// </summary>
internal static class Methods
{
    public static void Register(FunctionRegistry r)
    {
        r.Method("split", "self sep maxsplit", a => Split(Self(a), a.OptionalString("sep"), a.Long("maxsplit", -1), fromRight: false));
        r.Method("rsplit", "self sep maxsplit", a => Split(Self(a), a.OptionalString("sep"), a.Long("maxsplit", -1), fromRight: true));
        r.Method("splitlines", "self keepends", a => Self(a).ReplaceLineEndings("\n").Split('\n').SkipLast(Self(a).EndsWith('\n') ? 1 : 0).Select(l => (object?)l).ToList());
        r.Method("strip", "self chars", a => a.OptionalString("chars") is { } c ? Self(a).Trim(c.ToCharArray()) : Self(a).Trim());
        r.Method("lstrip", "self chars", a => a.OptionalString("chars") is { } c ? Self(a).TrimStart(c.ToCharArray()) : Self(a).TrimStart());
        r.Method("rstrip", "self chars", a => a.OptionalString("chars") is { } c ? Self(a).TrimEnd(c.ToCharArray()) : Self(a).TrimEnd());
        r.Method("lower", "self", a => Self(a).ToLowerInvariant());
        r.Method("upper", "self", a => Self(a).ToUpperInvariant());
        r.Method("title", "self", a => System.Globalization.CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Self(a).ToLowerInvariant()));
        r.Method("capitalize", "self", a => Self(a) is { Length: > 0 } s ? char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant() : "");
        r.Method("startswith", "self prefix", a => Affixes(a, "prefix").Any(p => Self(a).StartsWith(p, StringComparison.Ordinal)));
        r.Method("endswith", "self suffix", a => Affixes(a, "suffix").Any(p => Self(a).EndsWith(p, StringComparison.Ordinal)));
        r.Method("replace", "self old new count", a => StringFilters.Replace(Self(a), a.String("old"), a.String("new"), a.Long("count", -1)));
        r.Method("find", "self sub", a => (long)Self(a).IndexOf(a.String("sub"), StringComparison.Ordinal));
        r.Method("rfind", "self sub", a => (long)Self(a).LastIndexOf(a.String("sub"), StringComparison.Ordinal));
        r.Method("join", "self iterable", a => string.Join(Self(a), PyValue.Iterate(a.Required("iterable")).Select(PyFormat.Str)));
        r.Method("format", "self *args **kwargs", a => StrFormat.Format(Self(a), a.Rest, a.ExtraKeywords));
        r.Method("zfill", "self width", a => ZeroFill(Self(a), (int)a.Long("width", 0)));
        r.Method("ljust", "self width fillchar", a => Self(a).PadRight((int)a.Long("width", 0), (a.OptionalString("fillchar") ?? " ")[0]));
        r.Method("rjust", "self width fillchar", a => Self(a).PadLeft((int)a.Long("width", 0), (a.OptionalString("fillchar") ?? " ")[0]));
        r.Method("isdigit", "self", a => Self(a) is { Length: > 0 } s && s.All(char.IsDigit));
        r.Method("isalpha", "self", a => Self(a) is { Length: > 0 } s && s.All(char.IsLetter));
        r.Method("isalnum", "self", a => Self(a) is { Length: > 0 } s && s.All(char.IsLetterOrDigit));
        r.Method("isspace", "self", a => Self(a) is { Length: > 0 } s && s.All(char.IsWhiteSpace));
        r.Method("islower", "self", a => Self(a) is var s && s.Any(char.IsLetter) && s == s.ToLowerInvariant());
        r.Method("isupper", "self", a => Self(a) is var s && s.Any(char.IsLetter) && s == s.ToUpperInvariant());
        r.Method("keys", "self", a => Map(a).Select(e => (object?)e.Key).ToList());
        r.Method("values", "self", a => Map(a).Select(e => e.Value).ToList());
        r.Method("items", "self", a => Map(a).Select(e => (object?)new List<object?> { e.Key, e.Value }).ToList());
        r.Method("get", "self key default", a => PyValue.TryGetKey(Map(a, a.Get("self")), PyFormat.Str(a.Required("key")), out var v) ? v : a.Get("default"));
        r.Method("copy", "self", a => PyValue.IsMapping(a.Get("self")) ? Map(a).ToDictionary(StringComparer.Ordinal) : PyValue.Iterate(a.Get("self")).ToList());
        r.Method("count", "self sub", a => a.Get("self") is string s ? (long)Count(s, a.String("sub")) : PyValue.Iterate(a.Get("self")).LongCount(x => PyOps.Eq(x, a.Get("sub"))));
        r.Method("index", "self sub", Index);
    }

    public static List<object?> Split(string s, string? separator, long maxSplit, bool fromRight)
    {
        var limit = maxSplit < 0 ? int.MaxValue : (int)Math.Min(maxSplit, int.MaxValue - 1);
        if (separator is null)
        {
            var words = s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
            if (words.Count - 1 <= limit)
            {
                return [.. words];
            }

            return fromRight
                ? [s.TrimEnd()[..FindNthFromRight(s.TrimEnd(), limit)].TrimEnd(), .. words.TakeLast(limit)]
                : [.. words.Take(limit), s.TrimStart()[FindNth(s.TrimStart(), limit)..].TrimStart()];
        }

        if (separator.Length == 0)
        {
            throw new JinjaRuntimeException("empty separator");
        }

        var parts = s.Split(separator);
        if (parts.Length - 1 <= limit)
        {
            return [.. parts];
        }

        return fromRight
            ? [string.Join(separator, parts[..^limit]), .. parts[^limit..]]
            : [.. parts[..limit], string.Join(separator, parts[limit..])];
    }

    private static string Self(Args a) => PyValue.ToStr(a.Get("self"), "the method's object");

    private static IEnumerable<KeyValuePair<string, object?>> Map(Args a) => Map(a, a.Get("self"));

    private static IEnumerable<KeyValuePair<string, object?>> Map(Args a, object? self) =>
        PyValue.IsMapping(self) ? PyValue.Entries(self) : throw new JinjaRuntimeException($"'{PyValue.TypeName(self)}' object has no dict methods");

    private static IEnumerable<string> Affixes(Args a, string name) =>
        a.Required(name) is string one ? [one] : PyValue.Iterate(a.Get(name)).Select(PyFormat.Str);

    private static string ZeroFill(string s, int width)
    {
        var sign = s.StartsWith('-') || s.StartsWith('+') ? s[..1] : "";
        return sign + s[sign.Length..].PadLeft(width - sign.Length, '0');
    }

    private static int Count(string s, string sub) => sub.Length == 0 ? s.Length + 1 : (s.Length - s.Replace(sub, "", StringComparison.Ordinal).Length) / sub.Length;

    private static object? Index(Args a)
    {
        var self = a.Get("self");
        var at = self is string s
            ? s.IndexOf(a.String("sub"), StringComparison.Ordinal)
            : PyValue.Iterate(self).ToList().FindIndex(x => PyOps.Eq(x, a.Get("sub")));
        return at >= 0 ? (long)at : throw new JinjaRuntimeException($"{PyFormat.Repr(a.Get("sub"))} is not in {PyValue.TypeName(self)}");
    }

    private static int FindNth(string s, int words)
    {
        var i = 0;
        for (var n = 0; n < words; n++)
        {
            while (i < s.Length && !char.IsWhiteSpace(s[i]))
            {
                i++;
            }

            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }
        }

        return i;
    }

    private static int FindNthFromRight(string s, int words)
    {
        var i = s.Length;
        for (var n = 0; n < words; n++)
        {
            while (i > 0 && !char.IsWhiteSpace(s[i - 1]))
            {
                i--;
            }

            while (i > 0 && char.IsWhiteSpace(s[i - 1]))
            {
                i--;
            }
        }

        return i;
    }
}
