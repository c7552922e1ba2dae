using System.Globalization;
using StateForge.Templating.Runtime;

namespace StateForge.Templating.Jinja;

/// <summary>
/// Expressions. Strict lookups (`__jvar`, `__jattr`, `__jitem`) fail on undefined names; the
/// subject of `default`, `mandatory`, `is defined` / `is undefined` is looked up leniently
/// (`__jopt`, `__jattrl`, `__jiteml`), which yields Jinja's Undefined instead.
/// </summary>
internal sealed partial class ScribanEmitter
{
    private const string LoopMarker = "\0loop";

    private static readonly HashSet<string> LenientFilters = ["default", "d", "mandatory"];
    private static readonly HashSet<string> LenientTests = ["defined", "undefined"];

    private void Value(Expr expr, bool lenient = false)
    {
        Anchor(expr.Offset);
        switch (expr)
        {
            case Literal literal:
                W(LiteralCode(literal.Value));
                break;
            case Name name:
                EmitName(name, lenient);
                break;
            case GetAttr { Target: Name { Identifier: "loop" } } attr when Resolve("loop") == LoopMarker:
                W(LoopAttribute(attr));
                break;
            case GetAttr attr:
                W(lenient ? "__jattrl(" : "__jattr(");
                Value(attr.Target, lenient);
                W(", ").W(Quote(attr.Attribute)).W(", ").W(Quote(PathOf(attr))).W(")");
                break;
            case GetItem item:
                W(lenient ? "__jiteml(" : "__jitem(");
                Value(item.Target, lenient);
                W(", ");
                Value(item.Key);
                W(", ").W(Quote(PathOf(item))).W(")");
                break;
            case Slice slice:
                W("__jslice(");
                Value(slice.Target);
                foreach (var part in new[] { slice.Start, slice.Stop, slice.Step })
                {
                    W(", ");
                    OptionalValue(part);
                }

                W(")");
                break;
            case ListExpr list:
                W("__jlist(");
                List(list.Items);
                W(")");
                break;
            case DictExpr dict:
                W("__jdict(");
                List(dict.Pairs.SelectMany(p => new[] { p.Key, p.Value }).ToList());
                W(")");
                break;
            case Unary { Operator: "not" }:
                W("(");
                Bool(expr);
                W(")");
                break;
            case Unary unary:
                W(unary.Operator == "-" ? "__jneg(" : "__jpos(");
                Value(unary.Operand);
                W(")");
                break;
            case Binary { Operator: "and" or "or" } logical:
                EmitLogical(logical);
                break;
            case Binary binary:
                W(BinaryFunction(binary.Operator)).W("(");
                Value(binary.Left);
                W(", ");
                Value(binary.Right);
                W(")");
                break;
            case Compare compare:
                EmitCompare(compare);
                break;
            case Conditional conditional:
                W("(");
                Bool(conditional.Test);
                W(" ? ");
                Value(conditional.Then);
                W(" : ");
                OptionalValue(conditional.Else, "\"\"");
                W(")");
                break;
            case Filter filter:
                EmitFilter(filter);
                break;
            case Test test:
                EmitTest(test);
                break;
            case Call call:
                EmitCall(call);
                break;
            default:
                throw new JinjaSyntaxException($"unsupported expression {expr.GetType().Name}", expr.Offset);
        }
    }

    /// <summary>A Scriban boolean expression with Python truthiness.</summary>
    private void Bool(Expr expr)
    {
        switch (expr)
        {
            case Unary { Operator: "not" } not:
                W("!(");
                Bool(not.Operand);
                W(")");
                break;
            case Binary { Operator: "and" or "or" } logical:
                W("(");
                Bool(logical.Left);
                W(logical.Operator == "and" ? " && " : " || ");
                Bool(logical.Right);
                W(")");
                break;
            case Literal { Value: bool b }:
                W(b ? "true" : "false");
                break;
            case Compare or Test:
                Value(expr);
                break;
            default:
                W("__jtruthy(");
                Value(expr);
                W(")");
                break;
        }
    }

    private void OptionalValue(Expr? expr, string absent = "null")
    {
        if (expr is null)
        {
            W(absent);
        }
        else
        {
            Value(expr);
        }
    }

    private void List(IReadOnlyList<Expr> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            W(i == 0 ? "" : ", ");
            Value(items[i]);
        }
    }

    private string? Resolve(string name)
    {
        for (var i = loops.Count - 1; i >= 0; i--)
        {
            if (loops[i].TryGetValue(name, out var code))
            {
                return code;
            }
        }

        return null;
    }

    private void EmitName(Name name, bool lenient)
    {
        var bound = Resolve(name.Identifier);
        if (bound == LoopMarker)
        {
            throw new JinjaSyntaxException("'loop' can only be used as loop.index, loop.index0, loop.first, loop.last, loop.length, loop.revindex or loop.revindex0", name.Offset);
        }

        W(bound ?? $"{(lenient ? "__jopt" : "__jvar")}({Quote(name.Identifier)})");
    }

    private static string LoopAttribute(GetAttr attr) => attr.Attribute switch
    {
        "index" => "(for.index + 1)",
        "index0" => "for.index",
        "first" => "for.first",
        "last" => "for.last",
        "revindex" => "(for.rindex + 1)",
        "revindex0" => "for.rindex",
        "length" => "(for.index + for.rindex + 1)",
        var other => throw new JinjaSyntaxException($"loop.{other} is not supported (use index, index0, first, last, length, revindex, revindex0)", attr.Offset),
    };

    private static string LiteralCode(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => Quote(s),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => DoubleCode(d),
        _ => throw new InvalidOperationException($"unexpected literal {value.GetType().Name}"),
    };

    // Scriban reads `1e3` as an integer; keep a float a float.
    private static string DoubleCode(double d)
    {
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        return r.Contains('.', StringComparison.Ordinal) && !r.Contains('E', StringComparison.Ordinal) ? r : $"__jfloat({Quote(r)})";
    }

    private static string BinaryFunction(string op) => op switch
    {
        "+" => "__jadd",
        "-" => "__jsub",
        "*" => "__jmul",
        "/" => "__jdiv",
        "//" => "__jfloordiv",
        "%" => "__jmod",
        "**" => "__jpow",
        "~" => "__jcat",
        _ => throw new InvalidOperationException($"unknown operator {op}"),
    };

    /// <summary>A readable name for an access path in error messages: `hostvars[inventory_hostname].port`.</summary>
    private static string PathOf(Expr expr) => expr switch
    {
        Name n => n.Identifier,
        GetAttr a => PathOf(a.Target) + "." + a.Attribute,
        GetItem { Key: Literal { Value: string s } } i => $"{PathOf(i.Target)}['{s}']",
        GetItem { Key: Literal k } i => $"{PathOf(i.Target)}[{PyFormat.Repr(k.Value)}]",
        GetItem i => $"{PathOf(i.Target)}[{PathOf(i.Key)}]",
        Filter f => $"({PathOf(f.Subject)} | {f.FilterName})",
        Call { Callee: GetAttr m } => $"{PathOf(m.Target)}.{m.Attribute}()",
        _ => "(expression)",
    };
}
