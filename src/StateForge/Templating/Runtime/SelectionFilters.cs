namespace StateForge.Templating.Runtime;

/// <summary>Jinja's higher-order filters: map (attribute= or a filter), select/reject (a test), selectattr/rejectattr.</summary>
internal static class SelectionFilters
{
    public static void Register(FunctionRegistry r)
    {
        r.Filter("map", "value *args **kwargs", Map);
        r.Filter("select", "value *args **kwargs", (a, scope) => Select(a, scope, attribute: false, keep: true));
        r.Filter("reject", "value *args **kwargs", (a, scope) => Select(a, scope, attribute: false, keep: false));
        r.Filter("selectattr", "value *args **kwargs", (a, scope) => Select(a, scope, attribute: true, keep: true));
        r.Filter("rejectattr", "value *args **kwargs", (a, scope) => Select(a, scope, attribute: true, keep: false));
    }

    private static object? Map(Args a, RenderScope scope)
    {
        var items = CollectionFilters.Items(a, "map");
        if (a.ExtraKeywords.TryGetValue("attribute", out var attribute))
        {
            var path = PyValue.ToStr(attribute, "map: attribute");
            var hasDefault = a.ExtraKeywords.TryGetValue("default", out var fallback);
            return items.Select(x => CollectionFilters.Path(x, path) switch
            {
                Undefined when hasDefault => fallback,
                Undefined u => throw u.ToException(),
                var v => v,
            }).ToList();
        }

        if (a.Rest.Count == 0)
        {
            throw new JinjaRuntimeException("map needs a filter name or attribute=");
        }

        var filter = FunctionTable.Get(FunctionTable.FilterPrefix, PyValue.ToStr(a.Rest[0], "map: filter name"), "filter");
        var extra = a.Rest.Skip(1).ToList();
        var keywords = Keywords(a);
        return items.Select(x => filter.Call(scope, [x, .. extra], keywords)).ToList();
    }

    private static object? Select(Args a, RenderScope scope, bool attribute, bool keep)
    {
        var items = CollectionFilters.Items(a, keep ? "select" : "reject");
        var rest = a.Rest;
        var path = attribute ? (rest.Count > 0 ? PyValue.ToStr(rest[0], "selectattr: attribute") : throw new JinjaRuntimeException("selectattr needs an attribute name")) : null;
        var testArgs = attribute ? rest.Skip(1).ToList() : rest.ToList();
        var test = testArgs.Count > 0 ? FunctionTable.Get(FunctionTable.TestPrefix, PyValue.ToStr(testArgs[0], "test name"), "test") : null;
        var extra = testArgs.Skip(1).ToList();
        var keywords = Keywords(a);
        bool Passes(object? item)
        {
            var subject = path is null ? item : CollectionFilters.Path(item, path);
            if (test is null)
            {
                // A missing attribute counts as false, as with Jinja's default Undefined.
                return subject is not Undefined && PyValue.Truthy(subject);
            }

            return PyValue.Truthy(test.Call(scope, [subject, .. extra], keywords));
        }

        return items.Where(x => Passes(x) == keep).ToList();
    }

    private static KeywordArguments? Keywords(Args a)
    {
        if (a.ExtraKeywords.Count == 0)
        {
            return null;
        }

        var kw = new KeywordArguments();
        foreach (var (k, v) in a.ExtraKeywords.Where(kv => kv.Key is not ("attribute" or "default")))
        {
            kw[k] = v;
        }

        return kw.Count == 0 ? null : kw;
    }
}
