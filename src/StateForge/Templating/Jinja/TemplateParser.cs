namespace StateForge.Templating.Jinja;

/// <summary>
/// Builds the statement tree of a Jinja template: `if/elif/else`, `for … in … [if …]` with
/// `else`, `set` (also `set ns.attr` and block `set … endset`), `break`/`continue`, `raw`, comments.
/// Macros, includes, inheritance and `call`/`filter` blocks are refused with a clear message.
/// </summary>
internal sealed class TemplateParser
{
    private static readonly HashSet<string> Unsupported =
        ["macro", "call", "filter", "include", "import", "from", "extends", "block", "with", "autoescape", "do", "trans"];

    private readonly List<Piece> pieces;
    private int index;

    private TemplateParser(List<Piece> pieces) => this.pieces = pieces;

    public static IReadOnlyList<Node> Parse(List<Piece> pieces)
    {
        var parser = new TemplateParser(pieces);
        var (body, end) = parser.ParseBody([]);
        return end is null ? body : throw new JinjaSyntaxException($"unexpected '{end.TagName}'", end.Offset);
    }

    private (List<Node> Body, TagPiece? End) ParseBody(HashSet<string> terminators)
    {
        var nodes = new List<Node>();
        while (index < pieces.Count)
        {
            var piece = pieces[index++];
            switch (piece)
            {
                case TextPiece text:
                    nodes.Add(new TextNode(text.Text, text.Offset));
                    break;
                case OutputPiece output:
                    nodes.Add(new OutputNode(ExpressionParser.ParseAll(output.Tokens), output.Offset));
                    break;
                case TagPiece tag when terminators.Contains(tag.TagName):
                    return (nodes, tag);
                case TagPiece tag:
                    nodes.Add(ParseTag(tag));
                    break;
            }
        }

        return (nodes, null);
    }

    private Node ParseTag(TagPiece tag)
    {
        var p = new ExpressionParser(tag.Tokens);
        var name = p.ExpectName("a tag name");
        switch (name)
        {
            case "if":
                return ParseIf(p, tag);
            case "for":
                return ParseFor(p, tag);
            case "set":
                return ParseSet(p, tag);
            case "break" or "continue":
                p.ExpectEnd();
                return new LoopControlNode(name == "break", tag.Offset);
        }

        if (name.StartsWith("end", StringComparison.Ordinal) || name is "else" or "elif")
        {
            throw new JinjaSyntaxException($"unexpected '{name}'", tag.Offset);
        }

        if (Unsupported.Contains(name))
        {
            throw new JinjaSyntaxException($"the Jinja tag '{name}' is not supported", tag.Offset);
        }

        throw new JinjaSyntaxException($"unexpected tag '{name}'", tag.Offset);
    }

    private IfNode ParseIf(ExpressionParser p, TagPiece tag)
    {
        var branches = new List<(Expr, IReadOnlyList<Node>)>();
        var condition = ParseTagExpression(p);
        while (true)
        {
            var (body, end) = ParseBody(["elif", "else", "endif"]);
            branches.Add((condition, body));
            switch (end?.TagName)
            {
                case null:
                    throw new JinjaSyntaxException("missing '{% endif %}' for this 'if'", tag.Offset);
                case "elif":
                    var q = new ExpressionParser(end.Tokens);
                    q.Next();
                    condition = ParseTagExpression(q);
                    continue;
                case "else":
                    ExpectBare(end);
                    var (otherwise, close) = ParseBody(["endif"]);
                    _ = close ?? throw new JinjaSyntaxException("missing '{% endif %}' for this 'if'", tag.Offset);
                    ExpectBare(close);
                    return new IfNode(branches, otherwise, tag.Offset);
                default:
                    ExpectBare(end);
                    return new IfNode(branches, null, tag.Offset);
            }
        }
    }

    private ForNode ParseFor(ExpressionParser p, TagPiece tag)
    {
        var parenthesised = p.SkipOperator("(");
        var targets = new List<string> { p.ExpectName("a loop variable") };
        while (p.SkipOperator(","))
        {
            targets.Add(p.ExpectName("a loop variable"));
        }

        if (parenthesised)
        {
            p.Expect(")");
        }

        if (!p.SkipName("in"))
        {
            throw new JinjaSyntaxException("expected 'in' in the for tag", tag.Offset);
        }

        var iterable = p.ParseExpression(withConditional: false);
        var condition = p.SkipName("if") ? p.ParseExpression() : null;
        if (p.SkipName("recursive"))
        {
            throw new JinjaSyntaxException("recursive loops are not supported", tag.Offset);
        }

        p.ExpectEnd();
        var (body, end) = ParseBody(["else", "endfor"]);
        IReadOnlyList<Node>? otherwise = null;
        if (end?.TagName == "else")
        {
            ExpectBare(end);
            (otherwise, end) = ParseBody(["endfor"]);
        }

        _ = end ?? throw new JinjaSyntaxException("missing '{% endfor %}' for this 'for'", tag.Offset);
        ExpectBare(end);
        return new ForNode(targets, iterable, condition, body, otherwise, tag.Offset);
    }

    private Node ParseSet(ExpressionParser p, TagPiece tag)
    {
        var target = p.ExpectName("a variable name");
        var attribute = p.SkipOperator(".") ? p.ExpectName("an attribute name") : null;
        if (p.SkipOperator("="))
        {
            var value = p.ParseExpression();
            p.ExpectEnd();
            return new SetNode(target, attribute, value, tag.Offset);
        }

        if (attribute is not null || !p.SkipEndOrThrow("only `{% set name = value %}`, `{% set ns.attr = value %}` and block sets are supported"))
        {
            throw new JinjaSyntaxException("expected '=' in the set tag", tag.Offset);
        }

        var (body, end) = ParseBody(["endset"]);
        _ = end ?? throw new JinjaSyntaxException("missing '{% endset %}' for this 'set'", tag.Offset);
        ExpectBare(end);
        return new SetBlockNode(target, body, tag.Offset);
    }

    private static Expr ParseTagExpression(ExpressionParser p)
    {
        var expr = p.ParseExpression();
        p.ExpectEnd();
        return expr;
    }

    private static void ExpectBare(TagPiece tag)
    {
        if (tag.Tokens.Count != 2)
        {
            throw new JinjaSyntaxException($"'{tag.TagName}' takes no arguments", tag.Tokens[1].Offset);
        }
    }
}
