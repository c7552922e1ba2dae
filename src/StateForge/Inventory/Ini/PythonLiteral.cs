using System.Globalization;
using System.Text;

namespace StateForge.Inventory.Ini;

/// <summary>
/// Reads INI inventory values the way Ansible does: with Python's <c>ast.literal_eval</c>, falling
/// back to the text itself when it is not a Python literal. So <c>8080</c> is a number,
/// <c>True</c> a boolean, <c>"{'a': 1}"</c> the string inside the quotes, <c>[1, 2]</c> a list,
/// while <c>true</c>, <c>yes</c>, <c>0755</c> and <c>10-5</c> stay strings.
/// </summary>
/// <remarks>
/// Results use the plain value types of <see cref="Parsing.YNode.ToPlain"/>: string, long, double,
/// bool, null, <c>List&lt;object?&gt;</c> and <c>Dictionary&lt;string, object?&gt;</c>. Tuples and
/// sets become lists, bytes become strings, complex numbers and <c>...</c> their text (as Ansible).
/// </remarks>
internal static class PythonLiteral
{
    public static object? Evaluate(string text) => TryParse(text, out var value) ? value : text;

    public static bool TryParse(string text, out object? value)
    {
        var reader = new PythonLiteralReader(text);
        try
        {
            value = reader.ReadTop();
            return true;
        }
        catch (FormatException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>How Python's str() shows a complex number, which Ansible keeps as text.</summary>
    internal static string ComplexText(double real, double imaginary, bool hasReal)
    {
        var imag = FormatComplexPart(imaginary) + "j";
        if (!hasReal)
        {
            return imag;
        }

        var sign = imaginary < 0 || (imaginary == 0 && double.IsNegative(imaginary)) ? "-" : "+";
        return $"({FormatComplexPart(real)}{sign}{FormatComplexPart(Math.Abs(imaginary))}j)";
    }

    private static string FormatComplexPart(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 1e16 ? ((long)d).ToString(CultureInfo.InvariantCulture) : PythonFloat.Repr(d);

    internal static string Unescape(string body, bool raw, bool bytes)
    {
        if (raw || !body.Contains('\\', StringComparison.Ordinal))
        {
            return body;
        }

        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\' || i + 1 >= body.Length)
            {
                sb.Append(c);
                continue;
            }

            var n = body[++i];
            switch (n)
            {
                case '\n': break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x': sb.Append(HexEscape(body, ref i, 2)); break;
                case 'u' when !bytes: sb.Append(HexEscape(body, ref i, 4)); break;
                case 'U' when !bytes: sb.Append(char.ConvertFromUtf32(Convert.ToInt32(HexDigits(body, ref i, 8), 16))); break;
                case >= '0' and <= '7':
                    var start = i;
                    while (i + 1 < body.Length && i - start < 2 && body[i + 1] is >= '0' and <= '7')
                    {
                        i++;
                    }

                    sb.Append((char)Convert.ToInt32(body[start..(i + 1)], 8));
                    break;
                default:
                    sb.Append('\\').Append(n);
                    break;
            }
        }

        return sb.ToString();
    }

    private static char HexEscape(string body, ref int i, int digits) => (char)Convert.ToInt32(HexDigits(body, ref i, digits), 16);

    private static string HexDigits(string body, ref int i, int digits)
    {
        var available = body.Length - i - 1;
        var hex = available >= digits ? body.Substring(i + 1, digits) : "";
        if (hex.Length != digits || !hex.All(char.IsAsciiHexDigit))
        {
            throw new FormatException("truncated escape");
        }

        i += digits;
        return hex;
    }
}
