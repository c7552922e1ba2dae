using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Api;

/// <summary>The field selectors every resource supports (metadata.name, metadata.namespace) plus status.phase.</summary>
internal sealed record FieldSelector(IReadOnlyList<(string Field, bool Equal, string Value)> Terms)
{
    private static readonly string[] Supported = ["metadata.name", "metadata.namespace", "status.phase", "spec.volumeName"];

    public static FieldSelector Parse(string? text)
    {
        var terms = new List<(string, bool, string)>();
        foreach (var term in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var notEqual = term.Contains("!=", StringComparison.Ordinal);
            var parts = term.Split(notEqual ? "!=" : term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (parts.Length != 2 || !Supported.Contains(parts[0].Trim()))
            {
                throw ApiErrors.BadRequest($"\"{parts[0]}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
            }

            terms.Add((parts[0].Trim(), !notEqual, parts[1].Trim()));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => Terms.All(t => (ValueOf(obj, t.Field) == t.Value) == t.Equal);

    private static string ValueOf(JsonObject obj, string field) => field switch
    {
        "metadata.name" => obj.Name() ?? "",
        "metadata.namespace" => obj.Namespace() ?? "",
        "status.phase" => obj.Phase() ?? "",
        "spec.volumeName" => obj.Obj("spec").Str("volumeName") ?? "",
        _ => "",
    };
}
