namespace StateForge.Templating.Jinja;

/// <summary>A Jinja expression; <see cref="Offset"/> points into the template text for error messages.</summary>
internal abstract record Expr(int Offset);

internal sealed record Literal(object? Value, int Offset) : Expr(Offset);

internal sealed record Name(string Identifier, int Offset) : Expr(Offset);

internal sealed record GetAttr(Expr Target, string Attribute, int Offset) : Expr(Offset);

internal sealed record GetItem(Expr Target, Expr Key, int Offset) : Expr(Offset);

internal sealed record Slice(Expr Target, Expr? Start, Expr? Stop, Expr? Step, int Offset) : Expr(Offset);

internal sealed record ListExpr(IReadOnlyList<Expr> Items, int Offset) : Expr(Offset);

internal sealed record DictExpr(IReadOnlyList<(Expr Key, Expr Value)> Pairs, int Offset) : Expr(Offset);

internal sealed record Unary(string Operator, Expr Operand, int Offset) : Expr(Offset);

internal sealed record Binary(string Operator, Expr Left, Expr Right, int Offset) : Expr(Offset);

internal sealed record Compare(Expr First, IReadOnlyList<(string Operator, Expr Operand)> Rest, int Offset) : Expr(Offset);

internal sealed record Conditional(Expr Test, Expr Then, Expr? Else, int Offset) : Expr(Offset);

/// <summary>Positional and keyword arguments of a filter, test or call.</summary>
internal sealed record Arguments(IReadOnlyList<Expr> Positional, IReadOnlyList<(string Name, Expr Value)> Keywords)
{
    public static readonly Arguments None = new([], []);
}

internal sealed record Filter(Expr Subject, string FilterName, Arguments Args, int Offset) : Expr(Offset);

internal sealed record Test(Expr Subject, string TestName, Arguments Args, bool Negated, int Offset) : Expr(Offset);

internal sealed record Call(Expr Callee, Arguments Args, int Offset) : Expr(Offset);

/// <summary>A piece of a template: text, an output, or a statement.</summary>
internal abstract record Node(int Offset);

internal sealed record TextNode(string Text, int Offset) : Node(Offset);

internal sealed record OutputNode(Expr Value, int Offset) : Node(Offset);

internal sealed record IfNode(IReadOnlyList<(Expr Condition, IReadOnlyList<Node> Body)> Branches, IReadOnlyList<Node>? Else, int Offset) : Node(Offset);

internal sealed record ForNode(IReadOnlyList<string> Targets, Expr Iterable, Expr? Condition, IReadOnlyList<Node> Body, IReadOnlyList<Node>? Else, int Offset) : Node(Offset);

/// <summary>`{% set name = value %}` or `{% set ns.attr = value %}` (Attribute set).</summary>
internal sealed record SetNode(string Target, string? Attribute, Expr Value, int Offset) : Node(Offset);

/// <summary>`{% set name %}…{% endset %}`: captures the rendered body.</summary>
internal sealed record SetBlockNode(string Target, IReadOnlyList<Node> Body, int Offset) : Node(Offset);

internal sealed record LoopControlNode(bool IsBreak, int Offset) : Node(Offset);
