using System.Globalization;
using System.Text;

namespace StateForge.Templating.Runtime;

/// <summary>Writes JSON the way Python's json.dumps does, so rendered files match Ansible's byte for byte.</summary>
internal static class PyJson
{
    /// <param name="indent">Negative for one line with ", " and ": " separators (json.dumps' default).</param>
    public static string Write(object? value, int indent, bool sortKeys, bool ensureAscii)
    {
        var sb = new StringBuilder();
        Append(sb, value, indent, sortKeys, ensureAscii, 0);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, object? value, int indent, bool sortKeys, bool ascii, int level)
    {
        if (level > 200)
        {
            throw new JinjaRuntimeException("to_json: value is nested too deeply");
        }

        switch (value)
        {
            case null:
                sb.Append("null");
                return;
            case bool b:
                sb.Append(b ? "true" : "false");
                return;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                return;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyFormat.Double(d));
                return;
            case string s:
                AppendString(sb, s, ascii);
                return;
            case Undefined u:
                throw u.ToException();
        }

        if (PyValue.IsMapping(value))
        {
            var entries = PyValue.Entries(value);
            if (sortKeys)
            {
                entries = entries.OrderBy(e => e.Key, StringComparer.Ordinal);
            }

            AppendContainer(sb, '{', '}', entries.ToList(), indent, level, (e, sb2) =>
            {
                AppendString(sb2, e.Key, ascii);
                sb2.Append(": ");
                Append(sb2, e.Value, indent, sortKeys, ascii, level + 1);
            });
            return;
        }

        if (PyValue.IsSequence(value))
        {
            AppendContainer(sb, '[', ']', PyValue.Iterate(value), indent, level, (x, sb2) => Append(sb2, x, indent, sortKeys, ascii, level + 1));
            return;
        }

        AppendString(sb, PyFormat.Str(value), ascii);
    }

    private static void AppendContainer<T>(StringBuilder sb, char open, char close, IReadOnlyList<T> items, int indent, int level, Action<T, StringBuilder> write)
    {
        sb.Append(open);
        if (items.Count == 0)
        {
            sb.Append(close);
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (indent >= 0)
            {
                sb.Append(i == 0 ? "" : ",").Append('\n').Append(' ', indent * (level + 1));
            }
            else if (i > 0)
            {
                sb.Append(", ");
            }

            write(items[i], sb);
        }

        if (indent >= 0)
        {
            sb.Append('\n').Append(' ', indent * level);
        }

        sb.Append(close);
    }

    private static void AppendString(StringBuilder sb, string s, bool ascii)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\b': sb.Append(@"\b"); break;
                case '\f': sb.Append(@"\f"); break;
                case < ' ':
                case > '\x7f' when ascii:
                    sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default: sb.Append(c); break;
            }
        }

        sb.Append('"');
    }
}
