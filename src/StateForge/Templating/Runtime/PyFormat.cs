using System.Globalization;
using System.Text;

namespace StateForge.Templating.Runtime;

/// <summary>Python's str() and repr(), which decide how Jinja prints values: True, None, ['a', 1], 1.0.</summary>
internal static class PyFormat
{
    /// <summary>What `{{ x }}` writes in Ansible: str(x), except None writes nothing.</summary>
    public static string Output(object? v) => v is null ? "" : Str(v);

    public static string Str(object? v) => v switch
    {
        null => "None",
        string s => s,
        Undefined u => throw u.ToException(),
        _ => Repr(v),
    };

    public static string Repr(object? v)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, v, 0);
        return sb.ToString();
    }

    public static string Double(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }

        if (d == Math.Floor(d) && Math.Abs(d) < 1e16)
        {
            return d.ToString("0.0", CultureInfo.InvariantCulture);
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return r;
        }

        // Python writes 1e+20 and 1.5e-07: lower-case e, signed exponent of at least two digits.
        var exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var sign = exponent < 0 ? "-" : "+";
        return r[..e] + "e" + sign + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static void AppendRepr(StringBuilder sb, object? v, int depth)
    {
        if (depth > 100)
        {
            throw new JinjaRuntimeException("value is nested too deeply to print");
        }

        switch (v)
        {
            case null:
                sb.Append("None");
                break;
            case bool b:
                sb.Append(b ? "True" : "False");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(Double(d));
                break;
            case string s:
                AppendStringRepr(sb, s);
                break;
            case Undefined u:
                throw u.ToException();
            case var _ when PyValue.IsMapping(v):
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in PyValue.Entries(v))
                {
                    sb.Append(first ? "" : ", ");
                    first = false;
                    AppendStringRepr(sb, key);
                    sb.Append(": ");
                    AppendRepr(sb, value, depth + 1);
                }

                sb.Append('}');
                break;
            case var _ when PyValue.IsSequence(v):
                sb.Append('[');
                var i = 0;
                foreach (var item in PyValue.Iterate(v))
                {
                    sb.Append(i++ == 0 ? "" : ", ");
                    AppendRepr(sb, item, depth + 1);
                }

                sb.Append(']');
                break;
            default:
                sb.Append(Convert.ToString(PyValue.Normalize(v), CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void AppendStringRepr(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        sb.Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case var _ when c == quote: sb.Append('\\').Append(c); break;
                case < ' ' or '\x7f': sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"); break;
                default: sb.Append(c); break;
            }
        }

        sb.Append(quote);
    }
}
