using StateForge.Templating;

namespace StateForge.Tests.Corpus;

/// <summary>A template engine that renders nothing: loading and validating must not need one.</summary>
internal sealed class QuietTemplates : ITemplateEngine
{
    public bool IsTemplated(string text) => text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal);

    public object? Render(object? value, IReadOnlyDictionary<string, object?> variables) => value;

    public bool EvaluateCondition(string expression, IReadOnlyDictionary<string, object?> variables) => false;

    public object? Evaluate(string expression, IReadOnlyDictionary<string, object?> variables) => null;

    public string RenderFile(string text, string templatePath, IReadOnlyDictionary<string, object?> variables) => text;
}
