using System.Globalization;
using System.Text;
using StateForge.Parsing;

namespace StateForge.Templating.Runtime;

/// <summary>
/// Block-style YAML the way PyYAML's dump writes it for Ansible's to_yaml / to_nice_yaml: keys
/// sorted, sequences not indented under their key, and any string a YAML 1.1 reader would take
/// for something else ('yes', '0755', '1.0', '') quoted.
/// </summary>
internal static class PyYaml
{
    public static string Write(object? value, int indent)
    {
        indent = Math.Clamp(indent, 2, 9);
        var sb = new StringBuilder();
        if (IsBlock(value))
        {
            Block(sb, value, 0, indent, 0);
        }
        else
        {
            sb.Append(Scalar(value)).Append('\n');
        }

        return sb.ToString();
    }

    private static bool IsBlock(object? v) =>
        (PyValue.IsMapping(v) && PyValue.Entries(v).Any()) || (PyValue.IsSequence(v) && PyValue.Iterate(v).Count > 0);

    /// <summary>Writes a non-empty mapping or sequence whose first line continues the current one at <paramref name="column"/>.</summary>
    private static void Block(StringBuilder sb, object? value, int column, int indent, int depth)
    {
        if (depth > 100)
        {
            throw new JinjaRuntimeException("to_yaml: value is nested too deeply");
        }

        var first = true;
        if (PyValue.IsMapping(value))
        {
            foreach (var (key, item) in PyValue.Entries(value).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                sb.Append(first ? "" : new string(' ', column)).Append(Scalar(key)).Append(':');
                first = false;
                if (PyValue.IsMapping(item) && IsBlock(item))
                {
                    sb.Append('\n').Append(' ', column + indent);
                    Block(sb, item, column + indent, indent, depth + 1);
                }
                else if (IsBlock(item))
                {
                    sb.Append('\n').Append(' ', column);
                    Block(sb, item, column, indent, depth + 1);
                }
                else
                {
                    sb.Append(' ').Append(Scalar(item)).Append('\n');
                }
            }

            return;
        }

        foreach (var item in PyValue.Iterate(value))
        {
            sb.Append(first ? "" : new string(' ', column)).Append('-').Append(' ', indent - 1);
            first = false;
            if (IsBlock(item))
            {
                Block(sb, item, column + indent, indent, depth + 1);
            }
            else
            {
                sb.Append(Scalar(item)).Append('\n');
            }
        }
    }

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? ".nan" : double.IsInfinity(d) ? (d > 0 ? ".inf" : "-.inf") : PyFormat.Double(d),
        string s => String(s),
        Undefined u => throw u.ToException(),
        _ when PyValue.IsMapping(value) => "{}",
        _ when PyValue.IsSequence(value) => "[]",
        _ => String(PyFormat.Str(value)),
    };

    private static string String(string s)
    {
        if (s.Any(c => c < ' ' || c == '\x7f'))
        {
            return PyJson.Write(s, -1, sortKeys: false, ensureAscii: false);
        }

        var plain = s.Length > 0 && ScalarResolver.Resolve(s, null) is string &&
                    !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1]) &&
                    "-?:,[]{}#&*!|>'\"%@`".IndexOf(s[0], StringComparison.Ordinal) < 0 &&
                    !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal) && !s.EndsWith(':');
        return plain ? s : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
