namespace StateForge.Templating.Jinja;

internal enum TokenKind
{
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

/// <summary>One lexeme of a Jinja expression; <see cref="Offset"/> is its position in the template text.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Offset, object? Value = null)
{
    public bool Is(string op) => Kind == TokenKind.Operator && Text == op;

    public bool IsName(string name) => Kind == TokenKind.Name && Text == name;

    public override string ToString() => Kind switch
    {
        TokenKind.End => "end of expression",
        TokenKind.String => "string literal",
        _ => $"'{Text}'",
    };
}
