namespace StateForge.Templating;

/// <summary>
/// Renders `{{ expr }}` in playbook values and template files, with the Jinja habits playbooks
/// use (`| default('x')`, `| join(',')`, `| bool`, `| int`, `| lower`, `is defined`, …).
/// Variables are plain .NET values: string, long, double, bool, null, lists and dictionaries.
/// </summary>
public interface ITemplateEngine
{
    /// <summary>True when the string holds template syntax.</summary>
    bool IsTemplated(string text);

    /// <summary>
    /// Renders every string inside <paramref name="value"/> (lists and dictionaries recursively).
    /// A string that is exactly one `{{ expr }}` yields the expression's native value, as Ansible does.
    /// </summary>
    object? Render(object? value, IReadOnlyDictionary<string, object?> variables);

    /// <summary>Evaluates a bare expression such as a `when` or `that` condition to a boolean.</summary>
    bool EvaluateCondition(string expression, IReadOnlyDictionary<string, object?> variables);

    /// <summary>Evaluates a bare expression (no braces) to its native value.</summary>
    object? Evaluate(string expression, IReadOnlyDictionary<string, object?> variables);

    /// <summary>Renders a template file's text; <paramref name="templatePath"/> names it in errors.</summary>
    string RenderFile(string text, string templatePath, IReadOnlyDictionary<string, object?> variables);

    /// <summary>Renders a template file with the template module's whitespace options (trim_blocks, lstrip_blocks).</summary>
    string RenderFile(string text, string templatePath, IReadOnlyDictionary<string, object?> variables, TemplateFileOptions options) =>
        RenderFile(text, templatePath, variables);
}

/// <summary>Jinja's whitespace options for template files; the defaults are the template module's (trim_blocks on, lstrip_blocks off).</summary>
public sealed record TemplateFileOptions(bool TrimBlocks = true, bool LstripBlocks = false)
{
    public static readonly TemplateFileOptions Default = new();
}

/// <summary>A template could not be rendered. <see cref="Variable"/> names an undefined variable, if that was the cause.</summary>
public sealed class TemplateException(string message, string? variable = null, int line = 0, int column = 0) : Exception(message)
{
    public string? Variable { get; } = variable;

    /// <summary>1-based line inside the template text (0 when unknown).</summary>
    public int Line { get; } = line;

    public int Column { get; } = column;
}
