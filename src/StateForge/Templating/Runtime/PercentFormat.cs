using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StateForge.Templating.Runtime;

/// <summary>Python's printf-style `'%s-%d' % (a, b)` and the `format` filter: %s %r %d %i %f %e %x %o %%, with flags, width and precision.</summary>
internal static partial class PercentFormat
{
    public static string Format(string format, object? args)
    {
        var positional = args is not string && PyValue.IsSequence(args) ? PyValue.Iterate(args) : [args];
        var named = PyValue.IsMapping(args) ? args : null;
        var next = 0;
        var sb = new StringBuilder();
        var last = 0;
        foreach (Match m in Spec().Matches(format))
        {
            sb.Append(format, last, m.Index - last);
            last = m.Index + m.Length;
            var conversion = m.Groups["conv"].Value[0];
            if (conversion == '%')
            {
                sb.Append('%');
                continue;
            }

            object? value;
            if (m.Groups["key"].Success)
            {
                if (named is null || !PyValue.TryGetKey(named, m.Groups["key"].Value, out value))
                {
                    throw new JinjaRuntimeException($"format requires a mapping with key '{m.Groups["key"].Value}'");
                }
            }
            else
            {
                value = next < positional.Count ? positional[next++] : throw new JinjaRuntimeException("not enough arguments for format string");
            }

            sb.Append(Convert(value, m.Groups["flags"].Value, m.Groups["width"].Value, m.Groups["prec"].Value, conversion));
        }

        sb.Append(format, last, format.Length - last);
        if (named is null && next < positional.Count && args is not null && PyValue.IsSequence(args))
        {
            throw new JinjaRuntimeException("not all arguments converted during string formatting");
        }

        return sb.ToString();
    }

    private static string Convert(object? value, string flags, string width, string precision, char conversion)
    {
        var prec = precision.Length > 0 ? int.Parse(precision, CultureInfo.InvariantCulture) : -1;
        var text = conversion switch
        {
            's' => PyFormat.Str(value),
            'r' => PyFormat.Repr(value),
            'd' or 'i' => PyValue.ToLong(value, "%d format").ToString(CultureInfo.InvariantCulture),
            'f' or 'F' => PyValue.ToDouble(value, "%f format").ToString("F" + (prec < 0 ? 6 : prec), CultureInfo.InvariantCulture),
            'e' or 'E' => PyValue.ToDouble(value, "%e format").ToString((conversion == 'e' ? "e" : "E") + (prec < 0 ? 6 : prec), CultureInfo.InvariantCulture),
            'x' => PyValue.ToLong(value, "%x format").ToString("x", CultureInfo.InvariantCulture),
            'X' => PyValue.ToLong(value, "%X format").ToString("X", CultureInfo.InvariantCulture),
            'o' => System.Convert.ToString(PyValue.ToLong(value, "%o format"), 8),
            _ => throw new JinjaRuntimeException($"unsupported format character '{conversion}'"),
        };
        if (conversion is 's' or 'r' && prec >= 0 && text.Length > prec)
        {
            text = text[..prec];
        }

        if (flags.Contains('+', StringComparison.Ordinal) && conversion is not ('s' or 'r') && !text.StartsWith('-'))
        {
            text = "+" + text;
        }

        var w = width.Length > 0 ? int.Parse(width, CultureInfo.InvariantCulture) : 0;
        if (text.Length >= w)
        {
            return text;
        }

        if (flags.Contains('-', StringComparison.Ordinal))
        {
            return text.PadRight(w);
        }

        if (flags.Contains('0', StringComparison.Ordinal) && conversion is not ('s' or 'r'))
        {
            var sign = text.StartsWith('-') || text.StartsWith('+') ? text[..1] : "";
            return sign + text[sign.Length..].PadLeft(w - sign.Length, '0');
        }

        return text.PadLeft(w);
    }

    [GeneratedRegex(@"%(?:\((?<key>[^)]*)\))?(?<flags>[-+ #0]*)(?<width>\d*)(?:\.(?<prec>\d+))?(?<conv>[sdifFeExXor%])", RegexOptions.CultureInvariant)]
    private static partial Regex Spec();
}
