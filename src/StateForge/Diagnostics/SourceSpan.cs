namespace StateForge.Diagnostics;

/// <summary>A position in a source file: 1-based line and column.</summary>
public readonly record struct SourceSpan(string File, int Line, int Column)
{
    public static readonly SourceSpan None = new("", 0, 0);

    public bool IsNone => Line == 0 && File.Length == 0;

    public override string ToString() => IsNone ? "" : $"{File}({Line},{Column})";
}
