namespace StateForge.Templating.Runtime;

/// <summary>Keyword arguments of a call, passed by the translated template as one trailing value.</summary>
internal sealed class KeywordArguments : Dictionary<string, object?>
{
    public KeywordArguments()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>
/// The arguments of one filter, test, method or function call, bound to its parameter names the
/// way Python binds them: positional first, then keywords; `*args` and `**kwargs` collect the rest.
/// </summary>
internal sealed class Args
{
    private readonly string function;
    private readonly string[] names;
    private readonly object?[] values;
    private readonly bool[] given;

    public Args(string function, string[] parameters, IReadOnlyList<object?> positional, KeywordArguments? keywords)
    {
        this.function = function;
        names = parameters.Where(p => !p.StartsWith('*')).ToArray();
        values = new object?[names.Length];
        given = new bool[names.Length];
        var varArgs = parameters.Contains("*args");
        var varKeywords = parameters.Contains("**kwargs");

        // As in Python, parameters after *args can only be given by keyword.
        var positionalCount = varArgs ? Array.IndexOf(parameters, "*args") : names.Length;
        for (var i = 0; i < positional.Count; i++)
        {
            if (i < positionalCount)
            {
                (values[i], given[i]) = (positional[i], true);
            }
            else if (varArgs)
            {
                Rest.Add(positional[i]);
            }
            else
            {
                throw new JinjaRuntimeException($"{function} takes at most {positionalCount} argument(s) ({positional.Count} given)");
            }
        }

        foreach (var (key, value) in keywords ?? [])
        {
            var at = Array.IndexOf(names, key);
            if (at >= 0 && !given[at])
            {
                (values[at], given[at]) = (value, true);
            }
            else if (at < 0 && varKeywords)
            {
                ExtraKeywords[key] = value;
            }
            else
            {
                throw new JinjaRuntimeException(at < 0 ? $"{function} got an unexpected keyword argument '{key}'" : $"{function} got multiple values for argument '{key}'");
            }
        }
    }

    public List<object?> Rest { get; } = [];

    public Dictionary<string, object?> ExtraKeywords { get; } = new(StringComparer.Ordinal);

    public bool Has(string name) => given[IndexOf(name)];

    public object? Get(string name, object? fallback = null)
    {
        var i = IndexOf(name);
        return given[i] ? values[i] : fallback;
    }

    public object? Required(string name)
    {
        var i = IndexOf(name);
        return given[i] ? values[i] : throw new JinjaRuntimeException($"{function} is missing its argument '{name}'");
    }

    public string String(string name) => PyValue.ToStr(Required(name), $"{function}: '{name}'");

    public string? OptionalString(string name) => Get(name) is { } v ? PyValue.ToStr(v, $"{function}: '{name}'") : null;

    public bool Bool(string name, bool fallback = false) => Has(name) ? PyValue.Truthy(Get(name)) : fallback;

    public long Long(string name, long fallback) => Get(name) is { } v ? PyValue.ToLong(v, $"{function}: '{name}'") : fallback;

    private int IndexOf(string name)
    {
        var i = Array.IndexOf(names, name);
        return i >= 0 ? i : throw new InvalidOperationException($"{function} declares no parameter '{name}'");
    }
}
