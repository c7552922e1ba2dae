using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StateForge.Parsing;

namespace StateForge.Transport.Kubernetes;

/// <summary>Renders JSON objects as block YAML (keys in their order), the text that plan diffs compare.</summary>
public static class ObjectYaml
{
    public static string Render(JsonNode? node)
    {
        if (node is null)
        {
            return "";
        }

        var sb = new StringBuilder();
        Write(sb, node, 0, inSequence: false);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode node, int indent, bool inSequence)
    {
        switch (node)
        {
            case JsonObject { Count: 0 }:
                sb.Append("{}\n");
                break;
            case JsonObject obj:
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!(first && inSequence))
                    {
                        sb.Append(' ', indent);
                    }

                    first = false;
                    sb.Append(Scalar(key)).Append(':');
                    WriteChild(sb, value, indent + 2, sequenceIndent: indent);
                }

                break;
            case JsonArray { Count: 0 }:
                sb.Append("[]\n");
                break;
            case JsonArray arr:
                var firstItem = true;
                foreach (var item in arr)
                {
                    if (!(firstItem && inSequence))
                    {
                        sb.Append(' ', indent);
                    }

                    firstItem = false;
                    sb.Append("- ");
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        Write(sb, item, indent + 2, inSequence: true);
                    }
                    else
                    {
                        sb.Append(item is null ? "null" : ScalarValue(item)).Append('\n');
                    }
                }

                break;
            default:
                sb.Append(ScalarValue(node)).Append('\n');
                break;
        }
    }

    private static void WriteChild(StringBuilder sb, JsonNode? value, int indent, int sequenceIndent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 }:
                sb.Append('\n');
                Write(sb, value, indent, inSequence: false);
                break;
            case JsonArray { Count: > 0 }:
                // Sequences under a key sit at the key's indentation, as kubectl prints them.
                sb.Append('\n');
                Write(sb, value, sequenceIndent, inSequence: false);
                break;
            case null:
                sb.Append(" null\n");
                break;
            default:
                sb.Append(' ');
                Write(sb, value, indent, inSequence: false);
                break;
        }
    }

    private static string ScalarValue(JsonNode node)
    {
        return node.GetValueKind() switch
        {
            JsonValueKind.String => Scalar(node.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => "null",
            _ => node.ToJsonString(),
        };
    }

    /// <summary>A string as a plain scalar when it reads back as the same string, else double-quoted.</summary>
    public static string Scalar(string text)
    {
        if (IsPlainSafe(text))
        {
            return text;
        }

        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private static bool IsPlainSafe(string text)
    {
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || text.Any(char.IsControl))
        {
            return false;
        }

        var indicator = "?:,[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal) ||
            (text[0] == '-' && (text.Length == 1 || text[1] == ' '));
        return !indicator &&
            !text.Contains(": ", StringComparison.Ordinal) && !text.Contains(" #", StringComparison.Ordinal) && !text.EndsWith(':') &&
            ScalarResolver.Resolve(text, null) is string;
    }
}
