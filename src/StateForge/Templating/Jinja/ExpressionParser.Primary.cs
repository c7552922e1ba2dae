using System.Text;

namespace StateForge.Templating.Jinja;

/// <summary>Primaries (literals, names, brackets), postfix access, calls, filters and tests.</summary>
internal sealed partial class ExpressionParser
{
    private static readonly HashSet<string> NotATestArgument = ["else", "or", "and", "if", "in", "is", "not"];

    private Expr ParsePrimary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Name:
                Next();
                return t.Text switch
                {
                    "true" or "True" => new Literal(true, t.Offset),
                    "false" or "False" => new Literal(false, t.Offset),
                    "none" or "None" => new Literal(null, t.Offset),
                    _ => new Name(t.Text, t.Offset),
                };
            case TokenKind.String:
                var sb = new StringBuilder();
                while (Current.Kind == TokenKind.String)
                {
                    sb.Append((string)Next().Value!);
                }

                return new Literal(sb.ToString(), t.Offset);
            case TokenKind.Integer or TokenKind.Float:
                Next();
                return new Literal(t.Value, t.Offset);
        }

        if (SkipOperator("("))
        {
            if (SkipOperator(")"))
            {
                return new ListExpr([], t.Offset);
            }

            var first = ParseExpression();
            if (!Current.Is(","))
            {
                Expect(")");
                return first;
            }

            // A tuple: Jinja's `(a, b)`, used with `%` formatting; we treat it as a list.
            var items = new List<Expr> { first };
            while (SkipOperator(",") && !Current.Is(")"))
            {
                items.Add(ParseExpression());
            }

            Expect(")");
            return new ListExpr(items, t.Offset);
        }

        if (SkipOperator("["))
        {
            var items = new List<Expr>();
            while (!Current.Is("]"))
            {
                items.Add(ParseExpression());
                if (!SkipOperator(","))
                {
                    break;
                }
            }

            Expect("]");
            return new ListExpr(items, t.Offset);
        }

        if (SkipOperator("{"))
        {
            var pairs = new List<(Expr, Expr)>();
            while (!Current.Is("}"))
            {
                var key = ParseExpression();
                Expect(":");
                pairs.Add((key, ParseExpression()));
                if (!SkipOperator(","))
                {
                    break;
                }
            }

            Expect("}");
            return new DictExpr(pairs, t.Offset);
        }

        throw Unexpected();
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            if (Current.Is("."))
            {
                Next();
                var attr = Next();
                node = attr.Kind switch
                {
                    TokenKind.Name => new GetAttr(node, attr.Text, attr.Offset),
                    TokenKind.Integer => new GetItem(node, new Literal(attr.Value, attr.Offset), attr.Offset),
                    _ => throw new JinjaSyntaxException($"expected an attribute name after '.', found {attr}", attr.Offset),
                };
            }
            else if (Current.Is("["))
            {
                node = ParseSubscript(node, Next().Offset);
            }
            else if (Current.Is("("))
            {
                var at = Current.Offset;
                node = new Call(node, ParseArguments(), at);
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseSubscript(Expr target, int at)
    {
        Expr? start = Current.Is(":") ? null : ParseExpression();
        if (!Current.Is(":"))
        {
            Expect("]");
            return new GetItem(target, start!, at);
        }

        Next();
        Expr? stop = Current.Is(":") || Current.Is("]") ? null : ParseExpression();
        Expr? step = null;
        if (SkipOperator(":") && !Current.Is("]"))
        {
            step = ParseExpression();
        }

        Expect("]");
        return new Slice(target, start, stop, step, at);
    }

    private Expr ParseFilterExpression(Expr node)
    {
        while (true)
        {
            if (Current.Is("|"))
            {
                Next();
                var at = Current.Offset;
                var name = ParseDottedName("a filter name");
                var args = Current.Is("(") ? ParseArguments() : Arguments.None;
                node = new Filter(node, name, args, at);
            }
            else if (Current.IsName("is"))
            {
                Next();
                var negated = SkipName("not");
                var at = Current.Offset;
                var name = ParseDottedName("a test name");
                node = new Test(node, name, ParseTestArguments(), negated, at);
            }
            else if (Current.Is("("))
            {
                var at = Current.Offset;
                node = new Call(node, ParseArguments(), at);
            }
            else
            {
                return node;
            }
        }
    }

    private Arguments ParseTestArguments()
    {
        if (Current.Is("("))
        {
            return ParseArguments();
        }

        var startsValue = Current.Kind is TokenKind.String or TokenKind.Integer or TokenKind.Float ||
                          Current.Is("[") || Current.Is("{") ||
                          (Current.Kind == TokenKind.Name && !NotATestArgument.Contains(Current.Text));
        return startsValue ? new Arguments([ParsePostfix(Enter(ParsePrimary))], []) : Arguments.None;
    }

    /// <summary>Filter and test names may be FQCNs (`ansible.builtin.to_json`); the last part names it.</summary>
    private string ParseDottedName(string what)
    {
        var name = ExpectName(what);
        while (Current.Is(".") && tokens[pos + 1].Kind == TokenKind.Name)
        {
            pos++;
            name = Next().Text;
        }

        return name;
    }

    private Arguments ParseArguments()
    {
        Expect("(");
        var positional = new List<Expr>();
        var keywords = new List<(string, Expr)>();
        while (!Current.Is(")"))
        {
            if (Current.Kind == TokenKind.Name && tokens[pos + 1].Is("="))
            {
                var key = Next().Text;
                Next();
                keywords.Add((key, ParseExpression()));
            }
            else if (keywords.Count > 0)
            {
                throw new JinjaSyntaxException("positional argument after a keyword argument", Current.Offset);
            }
            else
            {
                positional.Add(ParseExpression());
            }

            if (!SkipOperator(","))
            {
                break;
            }
        }

        Expect(")");
        return new Arguments(positional, keywords);
    }
}
