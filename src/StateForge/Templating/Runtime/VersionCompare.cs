using System.Text.RegularExpressions;

namespace StateForge.Templating.Runtime;

/// <summary>Ansible's `version` test with loose versions: '1.10.2' &gt; '1.9', '8.4' &gt;= '8'.</summary>
internal static partial class VersionCompare
{
    public static bool Test(Args a)
    {
        var left = PyFormat.Str(a.Get("value"));
        var right = PyFormat.Str(a.Required("version"));
        var c = Compare(left, right);
        return (a.OptionalString("operator") ?? "eq") switch
        {
            "<" or "lt" => c < 0,
            "<=" or "le" => c <= 0,
            ">" or "gt" => c > 0,
            ">=" or "ge" => c >= 0,
            "==" or "=" or "eq" => c == 0,
            "!=" or "<>" or "ne" => c != 0,
            var op => throw new JinjaRuntimeException($"version: invalid operator '{op}'"),
        };
    }

    public static int Compare(string left, string right)
    {
        var l = Components().Matches(left.ToLowerInvariant()).Select(m => m.Value).ToList();
        var r = Components().Matches(right.ToLowerInvariant()).Select(m => m.Value).ToList();
        for (var i = 0; i < Math.Min(l.Count, r.Count); i++)
        {
            var ln = long.TryParse(l[i], out var lv);
            var rn = long.TryParse(r[i], out var rv);
            var c = (ln, rn) switch
            {
                (true, true) => lv.CompareTo(rv),
                (true, false) => 1,
                (false, true) => -1,
                _ => string.CompareOrdinal(l[i], r[i]),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return l.Count.CompareTo(r.Count);
    }

    [GeneratedRegex(@"\d+|[a-z]+")]
    private static partial Regex Components();
}
