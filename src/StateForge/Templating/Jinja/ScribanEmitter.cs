using System.Globalization;
using System.Text;

namespace StateForge.Templating.Jinja;

/// <summary>
/// Translates the Jinja tree into Scriban source. Every Jinja operation becomes a call to a
/// runtime helper with Python semantics (`a ~ b` → `__jcat(a, b)`, `x | join(',')` →
/// `__jf_join(x, ",")`), booleans use Scriban's `!`, `&amp;&amp;`, `||` and `?:` (all lazy), and
/// statements become Scriban's `if`/`for`/`capture`. User names never become Scriban identifiers
/// (`__jvar("end")`), so no Jinja variable can collide with a Scriban keyword or builtin.
/// </summary>
internal sealed partial class ScribanEmitter
{
    private readonly StringBuilder sb = new();
    private readonly List<int> emitted = [];
    private readonly List<int> original = [];

    // Innermost last: Jinja names bound by enclosing for loops, mapped to Scriban expressions
    // (null when a `set` in the loop shadowed them).
    private readonly List<Dictionary<string, string?>> loops = [];
    private int counter;

    public static EmittedCode Template(IReadOnlyList<Node> nodes)
    {
        var e = new ScribanEmitter();
        e.EmitNodes(nodes);
        return e.Done();
    }

    public static EmittedCode Expression(Expr expr)
    {
        var e = new ScribanEmitter();
        e.Value(expr);
        return e.Done();
    }

    public static EmittedCode Condition(Expr expr)
    {
        var e = new ScribanEmitter();
        e.Bool(expr);
        return e.Done();
    }

    private EmittedCode Done() => new(sb.ToString(), emitted, original);

    private void Anchor(int offset)
    {
        emitted.Add(sb.Length);
        original.Add(offset);
    }

    private ScribanEmitter W(string text)
    {
        sb.Append(text);
        return this;
    }

    /// <summary>Writes the code emitted in [start, end) once more (for `a or b` → `t(a) ? a : b`).</summary>
    private void Repeat(int start, int end)
    {
        var shift = sb.Length - start;
        var count = emitted.Count;
        for (var i = 0; i < count; i++)
        {
            if (emitted[i] >= start && emitted[i] < end)
            {
                emitted.Add(emitted[i] + shift);
                original.Add(original[i]);
            }
        }

        sb.Append(sb.ToString(start, end - start));
    }

    private string NextId(string prefix) => prefix + (++counter).ToString(CultureInfo.InvariantCulture);

    internal static string Quote(string s)
    {
        var q = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': q.Append(@"\\"); break;
                case '"': q.Append("\\\""); break;
                case '\n': q.Append(@"\n"); break;
                case '\r': q.Append(@"\r"); break;
                case '\t': q.Append(@"\t"); break;
                case < ' ' or > '~' or '{' or '}': q.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: q.Append(c); break;
            }
        }

        return q.Append('"').ToString();
    }
}
