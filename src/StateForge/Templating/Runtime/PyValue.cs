using System.Collections;
using System.Numerics;
using Scriban.Runtime;

namespace StateForge.Templating.Runtime;

/// <summary>
/// Python's view of the plain .NET values templates work on: types, truthiness, mappings and
/// sequences. Values are null, bool, long, double, string, lists and string-keyed dictionaries.
/// </summary>
internal static class PyValue
{
    /// <summary>Brings a value from Scriban (int literals, ScriptArray, …) to the plain model.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null or string or bool or long or double => value,
        int i => (long)i,
        short or byte or sbyte or ushort or uint => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (object)(long)u : (double)u,
        float f => (double)f,
        decimal m => (double)m,
        BigInteger b => b >= long.MinValue && b <= long.MaxValue ? (object)(long)b : (double)b,
        char c => c.ToString(),
        ScriptArray a => a.Select(Normalize).ToList(),
        ScriptObject o => o.ToDictionary(kv => kv.Key, kv => Normalize(kv.Value), StringComparer.Ordinal),
        _ => value,
    };

    public static bool IsNumber(object? v) => v is long or double;

    public static bool IsMapping(object? v) => v is IDictionary<string, object?> or IReadOnlyDictionary<string, object?> or IDictionary;

    public static bool IsSequence(object? v) => v is not string && v is IEnumerable && !IsMapping(v);

    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        Undefined => "AnsibleUndefined",
        _ when IsMapping(v) => "dict",
        _ when IsSequence(v) => "list",
        _ => v.GetType().Name,
    };

    public static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        Undefined u => throw u.ToException(),
        ICollection c => c.Count > 0,
        _ when IsMapping(v) => Entries(v).Any(),
        IEnumerable e => e.Cast<object?>().Any(),
        _ => true,
    };

    public static bool TryGetKey(object? map, string key, out object? value)
    {
        switch (map)
        {
            case IDictionary<string, object?> d:
                return d.TryGetValue(key, out value);
            case IReadOnlyDictionary<string, object?> r:
                return r.TryGetValue(key, out value);
            case IDictionary n when n.Contains(key):
                value = n[key];
                return true;
            default:
                value = null;
                return false;
        }
    }

    public static IEnumerable<KeyValuePair<string, object?>> Entries(object? map) => map switch
    {
        IDictionary<string, object?> d => d,
        IReadOnlyDictionary<string, object?> r => r,
        IDictionary n => n.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>(Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", e.Value)),
        _ => throw new JinjaRuntimeException($"expected a dict, got {TypeName(map)}"),
    };

    /// <summary>The items Python would iterate: a list's items, a dict's keys, a string's characters.</summary>
    public static IReadOnlyList<object?> Iterate(object? v) => v switch
    {
        Undefined u => throw u.ToException(),
        string s => s.Select(c => (object?)c.ToString()).ToList(),
        IReadOnlyList<object?> l => l,
        _ when IsMapping(v) => Entries(v).Select(e => (object?)e.Key).ToList(),
        IEnumerable e => e.Cast<object?>().ToList(),
        _ => throw new JinjaRuntimeException($"'{TypeName(v)}' object is not iterable"),
    };

    public static int Length(object? v) => v switch
    {
        string s => s.Length,
        ICollection c => c.Count,
        _ when IsMapping(v) => Entries(v).Count(),
        IEnumerable e => e.Cast<object?>().Count(),
        _ => throw new JinjaRuntimeException($"object of type '{TypeName(v)}' has no len()"),
    };

    public static long ToLong(object? v, string what) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d when double.IsFinite(d) => (long)Math.Truncate(d),
        _ => throw new JinjaRuntimeException($"{what} must be an integer, not {TypeName(v)}"),
    };

    public static double ToDouble(object? v, string what) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new JinjaRuntimeException($"{what} must be a number, not {TypeName(v)}"),
    };

    public static string ToStr(object? v, string what) =>
        v as string ?? throw new JinjaRuntimeException($"{what} must be a string, not {TypeName(v)}");
}
