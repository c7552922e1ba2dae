using System.Text.Json;
using StateForge.Diagnostics;
using StateForge.Parsing;

namespace StateForge.Templating.Runtime;

/// <summary>to_json / to_nice_json (as Python's json.dumps writes them), from_json, to_yaml / to_nice_yaml (block style), from_yaml.</summary>
internal static class DataFilters
{
    public static void Register(FunctionRegistry r)
    {
        r.Filter("to_json", "value indent sort_keys ensure_ascii", a =>
            PyJson.Write(a.Get("value"), (int)a.Long("indent", -1), a.Bool("sort_keys"), !a.Has("ensure_ascii") || a.Bool("ensure_ascii")));
        r.Filter("to_nice_json", "value indent sort_keys ensure_ascii", a =>
            PyJson.Write(a.Get("value"), (int)a.Long("indent", 4), !a.Has("sort_keys") || a.Bool("sort_keys"), !a.Has("ensure_ascii") || a.Bool("ensure_ascii")));
        r.Filter("from_json", "value", a => FromJson(PyValue.ToStr(a.Get("value"), "from_json input")));
        r.Filter("to_yaml", "value indent", a => PyYaml.Write(a.Get("value"), (int)a.Long("indent", 2)));
        r.Filter("to_nice_yaml", "value indent", a => PyYaml.Write(a.Get("value"), (int)a.Long("indent", 4)));
        r.Filter("from_yaml", "value", a => FromYaml(PyValue.ToStr(a.Get("value"), "from_yaml input")));
    }

    private static object? FromJson(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 200 });
            return Plain(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new JinjaRuntimeException($"from_json: invalid JSON: {e.Message}");
        }
    }

    private static object? Plain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => e.EnumerateArray().Select(Plain).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static object? FromYaml(string text)
    {
        var diagnostics = new DiagnosticBag();
        var node = YamlLoader.Load("from_yaml", text, diagnostics);
        if (diagnostics.HasErrors)
        {
            throw new JinjaRuntimeException("from_yaml: " + string.Join("; ", diagnostics.Select(d => d.Message)));
        }

        return node?.ToPlain();
    }
}
