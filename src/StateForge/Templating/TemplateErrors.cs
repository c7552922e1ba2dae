using Scriban.Syntax;
using StateForge.Templating.Jinja;
using StateForge.Templating.Runtime;

namespace StateForge.Templating;

/// <summary>Turns parse and runtime failures into <see cref="TemplateException"/>s that point into the user's template.</summary>
internal static class TemplateErrors
{
    public static TemplateException Create(string message, string? variable, string source, int offset, string? path)
    {
        var (line, column) = Position(source, offset);
        var where = path is null ? "" : line > 0 ? $"{path}({line},{column}): " : $"{path}: ";
        return new TemplateException(where + message, variable, line, column);
    }

    public static TemplateException FromRuntime(Exception e, EmittedCode code, string source, string? path)
    {
        var offset = e is ScriptRuntimeException s ? code.MapToSource(s.Span.Start.Offset) : -1;
        var cause = e;
        while (cause is not JinjaRuntimeException && cause.InnerException is not null)
        {
            cause = cause.InnerException;
        }

        return cause switch
        {
            JinjaRuntimeException j => Create(j.Message, j.Variable, source, offset, path),
            ScriptRuntimeException sr => Create(sr.OriginalMessage, null, source, offset, path),
            _ => Create($"template error: {cause.Message}", null, source, offset, path),
        };
    }

    /// <summary>1-based line and column of an offset; (0, 0) when unknown.</summary>
    public static (int Line, int Column) Position(string source, int offset)
    {
        if (offset < 0 || offset > source.Length)
        {
            return (0, 0);
        }

        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }
}
