using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StateForge.Templating.Runtime;

/// <summary>Python's str.format: `{}`, `{0}`, `{name}`, `{{`/`}}`, and specs such as `{:&gt;8}`, `{:05d}`, `{:.2f}`.</summary>
internal static partial class StrFormat
{
    public static string Format(string format, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> named)
    {
        var sb = new StringBuilder();
        var auto = 0;
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                sb.Append(c);
                i += 2;
                continue;
            }

            if (c != '{')
            {
                sb.Append(c);
                i++;
                continue;
            }

            var close = format.IndexOf('}', i);
            if (close < 0)
            {
                throw new JinjaRuntimeException("Single '{' encountered in format string");
            }

            var field = format[(i + 1)..close];
            var colon = field.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? field : field[..colon];
            var spec = colon < 0 ? "" : field[(colon + 1)..];
            object? value;
            if (name.Length == 0)
            {
                value = auto < args.Count ? args[auto++] : throw new JinjaRuntimeException("Replacement index out of range for positional args tuple");
            }
            else if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                value = index < args.Count ? args[index] : throw new JinjaRuntimeException($"Replacement index {index} out of range for positional args tuple");
            }
            else
            {
                value = named.TryGetValue(name, out var v) ? v : throw new JinjaRuntimeException($"format: no argument named '{name}'");
            }

            sb.Append(ApplySpec(value, spec));
            i = close + 1;
        }

        return sb.ToString();
    }

    private static string ApplySpec(object? value, string spec)
    {
        if (spec.Length == 0)
        {
            return PyFormat.Str(value);
        }

        var m = Spec().Match(spec);
        if (!m.Success)
        {
            throw new JinjaRuntimeException($"format: unsupported format spec '{spec}'");
        }

        var precision = m.Groups["prec"].Success ? int.Parse(m.Groups["prec"].Value, CultureInfo.InvariantCulture) : -1;
        var text = m.Groups["type"].Value switch
        {
            "d" => PyValue.ToLong(value, "format {:d}").ToString(CultureInfo.InvariantCulture),
            "f" or "F" => PyValue.ToDouble(value, "format {:f}").ToString("F" + (precision < 0 ? 6 : precision), CultureInfo.InvariantCulture),
            "x" => PyValue.ToLong(value, "format {:x}").ToString("x", CultureInfo.InvariantCulture),
            "X" => PyValue.ToLong(value, "format {:X}").ToString("X", CultureInfo.InvariantCulture),
            _ when value is double d && precision >= 0 => d.ToString("F" + precision, CultureInfo.InvariantCulture),
            _ => precision >= 0 ? PyFormat.Str(value)[..Math.Min(precision, PyFormat.Str(value).Length)] : PyFormat.Str(value),
        };
        var width = m.Groups["width"].Success ? int.Parse(m.Groups["width"].Value, CultureInfo.InvariantCulture) : 0;
        var zero = m.Groups["zero"].Success;
        var fill = m.Groups["fill"].Success ? m.Groups["fill"].Value[0] : zero ? '0' : ' ';
        var align = m.Groups["align"].Success ? m.Groups["align"].Value[0] : value is long or double ? '>' : '<';
        if (text.Length >= width)
        {
            return text;
        }

        var pad = width - text.Length;
        return align switch
        {
            '<' => text + new string(fill, pad),
            '^' => new string(fill, pad / 2) + text + new string(fill, pad - (pad / 2)),
            _ => new string(fill, pad) + text,
        };
    }

    [GeneratedRegex(@"^(?:(?<fill>.)?(?<align>[<>^=]))?(?<zero>0)?(?<width>\d+)?(?:\.(?<prec>\d+))?(?<type>[sdfFxX]?)$")]
    private static partial Regex Spec();
}
