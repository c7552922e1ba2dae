using Scriban;
using Scriban.Parsing;
using StateForge.Templating.Jinja;

namespace StateForge.Templating;

/// <summary>What a cached template was compiled as.</summary>
internal enum TemplateKind
{
    /// <summary>Mixed text and Jinja: renders to a string.</summary>
    Text,

    /// <summary>Exactly one `{{ expr }}` (or a bare expression): evaluates to a native value.</summary>
    Value,

    /// <summary>A bare `when:`/`that:` expression: evaluates to a boolean.</summary>
    Condition,
}

/// <summary>A Jinja template translated to Scriban and parsed once; safe to run on many threads at a time.</summary>
internal sealed class CompiledTemplate
{
    private CompiledTemplate(TemplateKind kind, EmittedCode code, Template template)
    {
        Kind = kind;
        Code = code;
        Scriban = template;
    }

    public TemplateKind Kind { get; }

    public EmittedCode Code { get; }

    public Template Scriban { get; }

    public static CompiledTemplate Create(TemplateKind kind, EmittedCode code)
    {
        var mode = kind == TemplateKind.Text ? ScriptMode.Default : ScriptMode.ScriptOnly;
        var template = Template.Parse(code.Code, "template", new ParserOptions { ExpressionDepthLimit = 500 }, new LexerOptions { Mode = mode });
        if (template.HasErrors)
        {
            // The translator produced code Scriban rejects: a bug here, not in the user's template.
            throw new InvalidOperationException($"Jinja translation produced invalid Scriban ({string.Join("; ", template.Messages)}): {code.Code}");
        }

        return new CompiledTemplate(kind, code, template);
    }
}
