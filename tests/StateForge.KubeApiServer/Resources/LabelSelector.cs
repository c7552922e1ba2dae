using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources;

/// <summary>One requirement of a label selector: key, operator (=, !=, in, notin, exists, !) and values.</summary>
internal sealed record LabelRequirement(string Key, string Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            "=" or "==" or "In" or "in" => present && Values.Contains(value!),
            "!=" or "NotIn" or "notin" => !present || !Values.Contains(value!),
            "exists" or "Exists" => present,
            "!" or "DoesNotExist" => !present,
            _ => false,
        };
    }
}

/// <summary>Label selectors in both their query-string form and their LabelSelector object form.</summary>
internal sealed record LabelSelector(IReadOnlyList<LabelRequirement> Requirements)
{
    public static readonly LabelSelector Everything = new([]);

    public bool Matches(JsonObject obj) => Matches(obj.Obj("metadata").Obj("labels").StringMap());

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    /// <summary>Parses "a=b,c!=d,e in (f,g),!h,i".</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var term = part.Trim();
            if (term.StartsWith('!'))
            {
                requirements.Add(new LabelRequirement(term[1..].Trim(), "!", []));
            }
            else if (TrySet(term, " notin ", "notin", requirements) || TrySet(term, " in ", "in", requirements))
            {
                continue;
            }
            else if (term.Contains("!=", StringComparison.Ordinal))
            {
                var (k, v) = Split(term, "!=");
                requirements.Add(new LabelRequirement(k, "!=", [v]));
            }
            else if (term.Contains("==", StringComparison.Ordinal))
            {
                var (k, v) = Split(term, "==");
                requirements.Add(new LabelRequirement(k, "=", [v]));
            }
            else if (term.Contains('=', StringComparison.Ordinal))
            {
                var (k, v) = Split(term, "=");
                requirements.Add(new LabelRequirement(k, "=", [v]));
            }
            else
            {
                requirements.Add(new LabelRequirement(term, "exists", []));
            }
        }

        return new LabelSelector(requirements);
    }

    /// <summary>Reads a metav1.LabelSelector object (matchLabels and matchExpressions).</summary>
    public static LabelSelector FromObject(JsonObject? selector)
    {
        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in selector.Obj("matchLabels").StringMap())
        {
            requirements.Add(new LabelRequirement(key, "=", [value]));
        }

        foreach (var expression in selector.Arr("matchExpressions")?.OfType<JsonObject>() ?? [])
        {
            var values = expression.Arr("values")?.Select(v => v?.GetValue<string>() ?? "").ToList() ?? [];
            requirements.Add(new LabelRequirement(expression.Str("key") ?? "", expression.Str("operator") ?? "", values));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>A plain map selector (Service, ReplicationController, DeploymentConfig).</summary>
    public static LabelSelector FromMap(JsonObject? map) =>
        new(map.StringMap().Select(p => new LabelRequirement(p.Key, "=", [p.Value])).ToList());

    private static bool TrySet(string term, string word, string op, List<LabelRequirement> into)
    {
        var at = term.IndexOf(word, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var values = term[(at + word.Length)..].Trim().Trim('(', ')')
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        into.Add(new LabelRequirement(term[..at].Trim(), op, values));
        return true;
    }

    private static (string Key, string Value) Split(string term, string op)
    {
        var at = term.IndexOf(op, StringComparison.Ordinal);
        return (term[..at].Trim(), term[(at + op.Length)..].Trim());
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}
