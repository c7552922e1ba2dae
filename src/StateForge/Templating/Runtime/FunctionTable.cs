using System.Collections.Frozen;

namespace StateForge.Templating.Runtime;

/// <summary>
/// Every function a translated template can call, by Scriban name: core helpers (`__jvar`,
/// `__jadd`, …), filters (`__jf_join`), tests (`__jt_defined`), Python methods (`__jm_split`)
/// and globals (`__jg_range`). The `__j` prefix keeps them apart from anything a user writes.
/// </summary>
internal static class FunctionTable
{
    public const string Core = "__j";
    public const string FilterPrefix = "__jf_";
    public const string TestPrefix = "__jt_";
    public const string MethodPrefix = "__jm_";
    public const string GlobalPrefix = "__jg_";

    public static readonly FrozenDictionary<string, JinjaFunction> Functions = Build();

    public static bool Has(string prefix, string name) => Functions.ContainsKey(prefix + name);

    public static JinjaFunction Get(string prefix, string name, string kind) =>
        Functions.TryGetValue(prefix + name, out var f) ? f : throw new JinjaRuntimeException($"no {kind} named '{name}'");

    public static IEnumerable<string> Names(string prefix) =>
        Functions.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).Order(StringComparer.Ordinal);

    private static FrozenDictionary<string, JinjaFunction> Build()
    {
        var r = new FunctionRegistry();
        CoreFunctions.Register(r);
        StringFilters.Register(r);
        RegexFilters.Register(r);
        CollectionFilters.Register(r);
        SelectionFilters.Register(r);
        ConversionFilters.Register(r);
        DataFilters.Register(r);
        Tests.Register(r);
        Methods.Register(r);
        Globals.Register(r);
        return r.Functions.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>Collects functions while the table is built; signatures are parameter names separated by spaces.</summary>
internal sealed class FunctionRegistry
{
    public Dictionary<string, JinjaFunction> Functions { get; } = new(StringComparer.Ordinal);

    public void Core(string name, string signature, Func<Args, RenderScope, object?> body, bool lenient = false) =>
        Add(FunctionTable.Core + name, name, signature, body, lenient);

    public void Filter(string name, string signature, Func<Args, object?> body, bool lenient = false) =>
        Add(FunctionTable.FilterPrefix + name, $"filter '{name}'", signature, (a, _) => body(a), lenient);

    public void Filter(string name, string signature, Func<Args, RenderScope, object?> body) =>
        Add(FunctionTable.FilterPrefix + name, $"filter '{name}'", signature, body, false);

    public void Test(string name, string signature, Func<Args, bool> body, bool lenient = false) =>
        Add(FunctionTable.TestPrefix + name, $"test '{name}'", signature, (a, _) => body(a), lenient);

    public void Method(string name, string signature, Func<Args, object?> body) =>
        Add(FunctionTable.MethodPrefix + name, $"method '{name}'", signature, (a, _) => body(a), false);

    public void Global(string name, string signature, Func<Args, object?> body) =>
        Add(FunctionTable.GlobalPrefix + name, $"function '{name}'", signature, (a, _) => body(a), false);

    public void Alias(string prefix, string alias, string name) => Functions[prefix + alias] = Functions[prefix + name];

    private void Add(string key, string display, string signature, Func<Args, RenderScope, object?> body, bool lenient) =>
        Functions.Add(key, new JinjaFunction(display, signature.Split(' ', StringSplitOptions.RemoveEmptyEntries), body, lenient));
}
