namespace StateForge.Templating.Runtime;

/// <summary>Global functions: range, dict, namespace. Lookups and file access are refused: templates stay sandboxed.</summary>
internal static class Globals
{
    public static void Register(FunctionRegistry r)
    {
        r.Global("range", "*args", a => Range(a.Rest));
        r.Global("dict", "**kwargs", a => new Dictionary<string, object?>(a.ExtraKeywords, StringComparer.Ordinal));
        r.Global("namespace", "**kwargs", a =>
        {
            var ns = new Namespace();
            foreach (var (k, v) in a.ExtraKeywords)
            {
                ns[k] = v;
            }

            return ns;
        });
        foreach (var name in new[] { "lookup", "query", "q" })
        {
            r.Global(name, "*args **kwargs", _ => throw new JinjaRuntimeException($"{name}() is not supported: templates cannot reach files, the environment or other hosts (pass the value in a variable)"));
        }
    }

    private static List<object?> Range(IReadOnlyList<object?> args)
    {
        var n = args.Select(x => PyValue.ToLong(x, "range() argument")).ToArray();
        var (start, stop, step) = n.Length switch
        {
            1 => (0, n[0], 1),
            2 => (n[0], n[1], 1L),
            3 => (n[0], n[1], n[2]),
            _ => throw new JinjaRuntimeException($"range expected 1 to 3 arguments, got {n.Length}"),
        };
        if (step == 0)
        {
            throw new JinjaRuntimeException("range() arg 3 must not be zero");
        }

        var count = Math.Max(0, (stop - start + step + (step > 0 ? -1 : 1)) / step);
        if (count > Access.MaxItems)
        {
            throw new JinjaRuntimeException($"range() would have more than {Access.MaxItems} items");
        }

        return Enumerable.Range(0, (int)count).Select(i => (object?)(start + (i * step))).ToList();
    }
}
