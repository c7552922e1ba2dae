namespace StateForge.Templating.Runtime;

/// <summary>Jinja and Ansible tests (`x is defined`, `is string`, `is match('^a')`, `result is changed`, `is version('2.0', '&gt;=')`).</summary>
internal static class Tests
{
    public static void Register(FunctionRegistry r)
    {
        r.Test("defined", "value", a => a.Get("value") is not Undefined, lenient: true);
        r.Test("undefined", "value", a => a.Get("value") is Undefined, lenient: true);
        r.Test("none", "value", a => a.Get("value") is null);
        r.Test("string", "value", a => a.Get("value") is string);
        r.Test("number", "value", a => PyValue.IsNumber(a.Get("value")));
        r.Test("integer", "value", a => a.Get("value") is long);
        r.Test("float", "value", a => a.Get("value") is double);
        r.Test("boolean", "value", a => a.Get("value") is bool);
        r.Test("mapping", "value", a => PyValue.IsMapping(a.Get("value")));
        r.Test("sequence", "value", a => a.Get("value") is string || PyValue.IsSequence(a.Get("value")) || PyValue.IsMapping(a.Get("value")));
        r.Test("iterable", "value", a => a.Get("value") is string || PyValue.IsSequence(a.Get("value")) || PyValue.IsMapping(a.Get("value")));
        r.Test("callable", "value", _ => false);
        r.Test("equalto", "value other", a => PyOps.Eq(a.Get("value"), a.Get("other")));
        r.Alias(FunctionTable.TestPrefix, "eq", "equalto");
        r.Test("ne", "value other", a => !PyOps.Eq(a.Get("value"), a.Get("other")));
        r.Test("lt", "value other", a => PyOps.Compare(a.Get("value"), a.Get("other")) < 0);
        r.Test("le", "value other", a => PyOps.Compare(a.Get("value"), a.Get("other")) <= 0);
        r.Test("gt", "value other", a => PyOps.Compare(a.Get("value"), a.Get("other")) > 0);
        r.Test("ge", "value other", a => PyOps.Compare(a.Get("value"), a.Get("other")) >= 0);
        r.Alias(FunctionTable.TestPrefix, "lessthan", "lt");
        r.Alias(FunctionTable.TestPrefix, "greaterthan", "gt");
        r.Test("in", "value seq", a => PyOps.In(a.Get("value"), a.Get("seq")));
        r.Test("contains", "value item", a => PyOps.In(a.Get("item"), a.Get("value")));
        r.Test("sameas", "value other", a => Equals(a.Get("value"), a.Get("other")) && a.Get("value")?.GetType() == a.Get("other")?.GetType());
        r.Test("truthy", "value convert_bool", a => a.Bool("convert_bool") ? ConversionFilters.ToBool(a.Get("value")) : PyValue.Truthy(a.Get("value")));
        r.Test("falsy", "value convert_bool", a => !(a.Bool("convert_bool") ? ConversionFilters.ToBool(a.Get("value")) : PyValue.Truthy(a.Get("value"))));
        r.Test("even", "value", a => PyValue.ToLong(a.Get("value"), "even") % 2 == 0);
        r.Test("odd", "value", a => PyValue.ToLong(a.Get("value"), "odd") % 2 != 0);
        r.Test("divisibleby", "value num", a => PyValue.ToLong(a.Get("value"), "divisibleby") % PyValue.ToLong(a.Required("num"), "divisibleby") == 0);
        r.Test("lower", "value", a => PyFormat.Str(a.Get("value")) is var s && s == s.ToLowerInvariant());
        r.Test("upper", "value", a => PyFormat.Str(a.Get("value")) is var s && s == s.ToUpperInvariant());
        r.Test("match", "value pattern ignorecase multiline", a => Regex(a, anchored: true));
        r.Test("search", "value pattern ignorecase multiline", a => Regex(a, anchored: false));
        r.Alias(FunctionTable.TestPrefix, "regex", "search");
        r.Test("subset", "value other", a => PyValue.Iterate(a.Get("value")).All(x => PyOps.In(x, a.Get("other"))));
        r.Test("superset", "value other", a => PyValue.Iterate(a.Get("other")).All(x => PyOps.In(x, a.Get("value"))));
        r.Test("version", "value version operator strict version_type", a => VersionCompare.Test(a));
        r.Alias(FunctionTable.TestPrefix, "version_compare", "version");
        RegisterTaskResults(r);
    }

    /// <summary>Tests on a registered task result: `result is changed`, `is failed`, `is succeeded`, `is skipped`.</summary>
    private static void RegisterTaskResults(FunctionRegistry r)
    {
        static bool Flag(Args a, string key) => PyValue.TryGetKey(Result(a), key, out var v) && ConversionFilters.ToBool(v);
        r.Test("changed", "value", a => Flag(a, "changed"));
        r.Test("failed", "value", a => Flag(a, "failed"));
        r.Test("succeeded", "value", a => !Flag(a, "failed"));
        r.Test("skipped", "value", a => Flag(a, "skipped"));
        r.Alias(FunctionTable.TestPrefix, "change", "changed");
        r.Alias(FunctionTable.TestPrefix, "failure", "failed");
        r.Alias(FunctionTable.TestPrefix, "success", "succeeded");
        r.Alias(FunctionTable.TestPrefix, "successful", "succeeded");
        r.Alias(FunctionTable.TestPrefix, "skip", "skipped");
    }

    private static object? Result(Args a) => PyValue.IsMapping(a.Get("value"))
        ? a.Get("value")
        : throw new JinjaRuntimeException($"the task result tests need a registered result (a dict), not {PyValue.TypeName(a.Get("value"))}");

    private static bool Regex(Args a, bool anchored)
    {
        var regex = RegexFilters.Create(a.String("pattern"), a.Bool("ignorecase"), a.Bool("multiline"), anchored);
        return RegexFilters.Run(() => regex.IsMatch(PyFormat.Str(a.Get("value"))));
    }
}
