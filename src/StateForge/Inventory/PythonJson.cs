using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using StateForge.Inventory.Ini;

namespace StateForge.Inventory;

/// <summary>
/// JSON as Python's json.dumps(sort_keys=True, indent=4, ensure_ascii=False) writes it, which is
/// what ansible-inventory prints: mapping keys sorted at every level, floats as Python shows
/// them (1.0, 1e+16, NaN, Infinity). System.Text.Json escapes the strings; the layout is
/// Python's, which Utf8JsonWriter cannot reproduce for floats.
/// </summary>
internal static class PythonJson
{
    private const int Indent = 4;

    public static string Serialize(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, int depth)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case double or float or decimal:
                sb.Append(Float(Convert.ToDouble(value, CultureInfo.InvariantCulture)));
                break;
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case IDictionary dictionary:
                var keys = dictionary.Keys.Cast<object>()
                    .Select(k => (Text: Convert.ToString(k, CultureInfo.InvariantCulture)!, Key: k))
                    .OrderBy(k => k.Text, StringComparer.Ordinal)
                    .ToList();
                WriteContainer(sb, '{', '}', keys.Count, depth, i =>
                {
                    WriteString(sb, keys[i].Text);
                    sb.Append(": ");
                    Write(sb, dictionary[keys[i].Key], depth + 1);
                });
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                Write(sb, pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), depth);
                break;
            case IEnumerable enumerable:
                var items = enumerable.Cast<object?>().ToList();
                WriteContainer(sb, '[', ']', items.Count, depth, i => Write(sb, items[i], depth + 1));
                break;
            default:
                WriteString(sb, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }

    /// <summary>Python's layout: "[]" when empty, else one item a line, indented, "," between.</summary>
    private static void WriteContainer(StringBuilder sb, char open, char close, int count, int depth, Action<int> writeItem)
    {
        sb.Append(open);
        if (count == 0)
        {
            sb.Append(close);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            sb.Append(i == 0 ? "\n" : ",\n").Append(' ', (depth + 1) * Indent);
            writeItem(i);
        }

        sb.Append('\n').Append(' ', depth * Indent).Append(close);
    }

    private static void WriteString(StringBuilder sb, string s) =>
        sb.Append('"').Append(JsonEncodedText.Encode(s, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value).Append('"');

    private static string Float(double d) => d switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => PythonFloat.Repr(d),
    };
}
