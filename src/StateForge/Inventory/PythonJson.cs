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
/// them (1.0, 1e+16, NaN, Infinity).
/// </summary>
internal static class PythonJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 4,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static string Serialize(object? value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case double or float or decimal:
                writer.WriteRawValue(Float(Convert.ToDouble(value, CultureInfo.InvariantCulture)), skipInputValidation: true);
                break;
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                writer.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!, skipInputValidation: true);
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (var key in dictionary.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture)!).Order(StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, dictionary[key]);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                Write(writer, pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string Float(double d) => d switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => PythonFloat.Repr(d),
    };
}
