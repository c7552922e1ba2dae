namespace StateForge.Diagnostics;

public enum DiagnosticLevel
{
    Error,
    Warning,
}

/// <summary>A user-facing problem with a stable code, printed the way compilers print them.</summary>
public sealed record Diagnostic(string Code, DiagnosticLevel Level, string Message, SourceSpan Span)
{
    public bool IsError => Level == DiagnosticLevel.Error;

    public override string ToString()
    {
        var level = Level == DiagnosticLevel.Error ? "error" : "warning";
        return Span.IsNone ? $"{level} {Code}: {Message}" : $"{Span}: {level} {Code}: {Message}";
    }
}
