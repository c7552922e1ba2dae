namespace StateForge.Templating.Jinja;

/// <summary>
/// Jinja's expression grammar and precedence (jinja2/parser.py): conditional, or, and, not,
/// comparisons, + -, ~, * / // %, **, unary, then postfix, filters and tests — so
/// `'a' ~ x | upper` filters x only, as in Jinja (Scriban's pipe would filter the whole).
/// </summary>
internal sealed partial class ExpressionParser(IReadOnlyList<Token> tokens)
{
    private const int MaxDepth = 100;
    private int pos;
    private int depth;

    private Token Current => tokens[pos];

    /// <summary>Parses tokens that must hold exactly one expression.</summary>
    public static Expr ParseAll(IReadOnlyList<Token> tokens)
    {
        var parser = new ExpressionParser(tokens);
        var expr = parser.ParseExpression();
        parser.ExpectEnd();
        return expr;
    }

    public int Position => pos;

    public void ExpectEnd()
    {
        if (Current.Kind != TokenKind.End)
        {
            throw Unexpected();
        }
    }

    public Expr ParseExpression(bool withConditional = true)
    {
        if (!withConditional)
        {
            return ParseOr();
        }

        var expr = ParseOr();
        while (Current.IsName("if"))
        {
            var at = Next().Offset;
            var test = ParseOr();
            Expr? otherwise = null;
            if (Current.IsName("else"))
            {
                Next();
                otherwise = ParseExpression();
            }

            expr = new Conditional(test, expr, otherwise, at);
        }

        return expr;
    }

    public Token Next() => tokens[pos++];

    public bool SkipName(string name)
    {
        if (!Current.IsName(name))
        {
            return false;
        }

        pos++;
        return true;
    }

    public bool SkipOperator(string op)
    {
        if (!Current.Is(op))
        {
            return false;
        }

        pos++;
        return true;
    }

    public Token Expect(string op)
    {
        if (!Current.Is(op))
        {
            throw new JinjaSyntaxException($"expected '{op}', found {Current}", Current.Offset);
        }

        return Next();
    }

    public string ExpectName(string what)
    {
        if (Current.Kind != TokenKind.Name)
        {
            throw new JinjaSyntaxException($"expected {what}, found {Current}", Current.Offset);
        }

        return Next().Text;
    }

    /// <summary>True at the end of the tokens; otherwise throws <paramref name="message"/> at the current token.</summary>
    public bool SkipEndOrThrow(string message) =>
        Current.Kind == TokenKind.End ? true : throw new JinjaSyntaxException(message, Current.Offset);

    public JinjaSyntaxException Unexpected() => new($"unexpected {Current}", Current.Offset);

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsName("or"))
        {
            var at = Next().Offset;
            left = new Binary("or", left, ParseAnd(), at);
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsName("and"))
        {
            var at = Next().Offset;
            left = new Binary("and", left, ParseNot(), at);
        }

        return left;
    }

    private Expr ParseNot()
    {
        if (Current.IsName("not"))
        {
            var at = Next().Offset;
            return new Unary("not", Enter(ParseNot), at);
        }

        return ParseCompare();
    }

    private Expr ParseCompare()
    {
        var first = ParseMath1();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            var t = Current;
            if (t.Kind == TokenKind.Operator && t.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
            {
                Next();
                rest.Add((t.Text, ParseMath1()));
            }
            else if (t.IsName("in"))
            {
                Next();
                rest.Add(("in", ParseMath1()));
            }
            else if (t.IsName("not") && tokens[pos + 1].IsName("in"))
            {
                pos += 2;
                rest.Add(("not in", ParseMath1()));
            }
            else
            {
                break;
            }
        }

        return rest.Count == 0 ? first : new Compare(first, rest, first.Offset);
    }

    private Expr ParseMath1() => ParseLeftAssociative(ParseConcat, "+", "-");

    private Expr ParseConcat() => ParseLeftAssociative(ParseMath2, "~");

    private Expr ParseMath2() => ParseLeftAssociative(ParsePow, "*", "/", "//", "%");

    private Expr ParsePow() => ParseLeftAssociative(() => ParseUnary(withFilter: true), "**");

    private Expr ParseLeftAssociative(Func<Expr> operand, params string[] operators)
    {
        var left = operand();
        while (Current.Kind == TokenKind.Operator && operators.Contains(Current.Text))
        {
            var op = Next();
            left = new Binary(op.Text, left, operand(), op.Offset);
        }

        return left;
    }

    private Expr ParseUnary(bool withFilter)
    {
        Expr node;
        if (Current.Is("-") || Current.Is("+"))
        {
            var op = Next();
            node = new Unary(op.Text, Enter(() => ParseUnary(withFilter: false)), op.Offset);
        }
        else
        {
            node = Enter(ParsePrimary);
        }

        node = ParsePostfix(node);
        return withFilter ? ParseFilterExpression(node) : node;
    }

    private T Enter<T>(Func<T> parse)
    {
        if (++depth > MaxDepth)
        {
            throw new JinjaSyntaxException("expression is nested too deeply", Current.Offset);
        }

        try
        {
            return parse();
        }
        finally
        {
            depth--;
        }
    }
}
