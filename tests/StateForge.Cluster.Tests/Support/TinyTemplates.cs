using System.Text.RegularExpressions;
using StateForge.Templating;

namespace StateForge.Cluster.Tests.Support;

/// <summary>Just enough of a template engine for cluster tests: `{{ name }}` is replaced by the variable's value.</summary>
internal sealed partial class TinyTemplates : ITemplateEngine
{
    public bool IsTemplated(string text) => text.Contains("{{", StringComparison.Ordinal);

    public object? Render(object? value, IReadOnlyDictionary<string, object?> variables) =>
        value is string s ? RenderFile(s, "value", variables) : value;

    public bool EvaluateCondition(string expression, IReadOnlyDictionary<string, object?> variables) =>
        Evaluate(expression, variables) is true;

    public object? Evaluate(string expression, IReadOnlyDictionary<string, object?> variables) =>
        variables.TryGetValue(expression.Trim(), out var v) ? v : throw new TemplateException($"'{expression}' is undefined", expression.Trim());

    public string RenderFile(string text, string templatePath, IReadOnlyDictionary<string, object?> variables) =>
        Expression().Replace(text, m => Convert.ToString(Evaluate(m.Groups[1].Value, variables), System.Globalization.CultureInfo.InvariantCulture) ?? "");

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Expression();
}
