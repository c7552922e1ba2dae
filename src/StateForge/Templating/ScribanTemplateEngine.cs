using System.Collections;
using System.Collections.Concurrent;
using StateForge.Templating.Jinja;
using StateForge.Templating.Runtime;

namespace StateForge.Templating;

/// <summary>
/// The template engine: Jinja as Ansible playbooks write it, translated to Scriban and run in
/// Scriban's sandbox (no builtins, no file system, no .NET reflection, bounded loops and output).
/// </summary>
/// <remarks>
/// <para>
/// Jinja is translated, not reinterpreted: a Jinja lexer and parser (with Jinja's precedence,
/// so <c>'a' ~ x | upper</c> filters only <c>x</c>) produce Scriban code in which every operation
/// calls a helper with Python semantics: truthiness, <c>==</c> on lists and dicts, <c>~</c>,
/// <c>//</c>, <c>%</c> formatting, <c>in</c>, slices, negative indices, str() of True/None/lists.
/// Template files are Jinja only (<c>{% for %}</c>, <c>{% if %}/{% elif %}/{% else %}</c>,
/// <c>{% set %}</c> including <c>ns.attr</c> and block sets, <c>{% raw %}</c>,
/// <c>{% break %}</c>/<c>{% continue %}</c>, <c>{# #}</c>, <c>{%- -%}</c>, trim_blocks and
/// lstrip_blocks); native Scriban syntax such as <c>{{ end }}</c> is not accepted.
/// Macros, includes, template inheritance, lookups and file tests are refused with a clear error.
/// </para>
/// <para>
/// A string that is exactly one <c>{{ expr }}</c> (surrounding whitespace allowed) yields the
/// expression's native value; other strings render to text; strings without <c>{{</c>,
/// <c>{%</c> or <c>{#</c> are returned as they are without parsing. Compiled templates are cached.
/// Undefined variables fail with <see cref="TemplateException.Variable"/> set (the root name, or
/// the path such as <c>foo.bar</c> when a key is missing), except under <c>default</c>,
/// <c>mandatory</c>, <c>is defined</c> and <c>is undefined</c>.
/// </para>
/// </remarks>
public sealed class ScribanTemplateEngine : ITemplateEngine
{
    /// <summary>What Ansible's <c>omit</c> renders to; the binder drops a parameter with this value.</summary>
    public const string OmitPlaceholder = CoreFunctions.OmitPlaceholder;

    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, CompiledTemplate> values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CompiledTemplate> expressions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CompiledTemplate> conditions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, bool, bool), CompiledTemplate> files = new();

    /// <summary>The filters templates may use, for documentation.</summary>
    public static IEnumerable<string> Filters => FunctionTable.Names(FunctionTable.FilterPrefix);

    /// <summary>The tests templates may use (`x is …`), for documentation.</summary>
    public static IEnumerable<string> Tests => FunctionTable.Names(FunctionTable.TestPrefix);

    public bool IsTemplated(string text) =>
        text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal) || text.Contains("{#", StringComparison.Ordinal);

    public object? Render(object? value, IReadOnlyDictionary<string, object?> variables) => value switch
    {
        string s => IsTemplated(s) ? RenderString(s, variables) : s,
        IDictionary<string, object?> or IReadOnlyDictionary<string, object?> => RenderMapping(value, variables),
        IEnumerable e and not IDictionary => RenderSequence(e, variables),
        _ => value,
    };

    public bool EvaluateCondition(string expression, IReadOnlyDictionary<string, object?> variables)
    {
        var text = expression.Trim();
        if (text.Length == 0)
        {
            return true;
        }

        if (IsTemplated(text))
        {
            // Ansible renders a templated condition first and evaluates what it yields.
            return Render(text, variables) switch
            {
                bool b => b,
                string s when !IsTemplated(s) => EvaluateCondition(s, variables),
                var other => PyValue.Truthy(other),
            };
        }

        var compiled = Compile(conditions, text, () => CompiledTemplate.Create(TemplateKind.Condition, ScribanEmitter.Condition(ParseBare(text))), text, null);
        return Run(compiled, variables, text, null) is true;
    }

    public object? Evaluate(string expression, IReadOnlyDictionary<string, object?> variables)
    {
        var text = expression.Trim();
        var compiled = Compile(expressions, text, () => CompiledTemplate.Create(TemplateKind.Value, ScribanEmitter.Expression(ParseBare(text))), text, null);
        return Run(compiled, variables, text, null);
    }

    public string RenderFile(string text, string templatePath, IReadOnlyDictionary<string, object?> variables) =>
        RenderFile(text, templatePath, variables, TemplateFileOptions.Default);

    public string RenderFile(string text, string templatePath, IReadOnlyDictionary<string, object?> variables, TemplateFileOptions options)
    {
        var compiled = Compile(files, (text, options.TrimBlocks, options.LstripBlocks), () =>
            CompiledTemplate.Create(TemplateKind.Text, ScribanEmitter.Template(TemplateParser.Parse(TemplateLexer.Lex(text, options.TrimBlocks, options.LstripBlocks)))), text, templatePath);
        return KeepTrailingNewlines(text, (string)Run(compiled, variables, text, templatePath)!);
    }

    private object? RenderString(string text, IReadOnlyDictionary<string, object?> variables)
    {
        var compiled = Compile(values, text, () => CompileValue(text), text, null);
        var result = Run(compiled, variables, text, null);
        return compiled.Kind == TemplateKind.Text ? KeepTrailingNewlines(text, (string)result!) : result;
    }

    private static CompiledTemplate CompileValue(string text)
    {
        var pieces = TemplateLexer.Lex(text, trimBlocks: true, lstripBlocks: false);
        var outputs = pieces.OfType<OutputPiece>().ToList();
        if (outputs.Count == 1 && pieces.All(p => p is OutputPiece || (p is TextPiece t && string.IsNullOrWhiteSpace(t.Text))))
        {
            return CompiledTemplate.Create(TemplateKind.Value, ScribanEmitter.Expression(ExpressionParser.ParseAll(outputs[0].Tokens)));
        }

        return CompiledTemplate.Create(TemplateKind.Text, ScribanEmitter.Template(TemplateParser.Parse(pieces)));
    }

    private static Expr ParseBare(string text) => ExpressionParser.ParseAll(ExpressionLexer.Lex(text, 0, null, 0).Tokens);

    private static CompiledTemplate Compile<TKey>(ConcurrentDictionary<TKey, CompiledTemplate> cache, TKey key, Func<CompiledTemplate> compile, string source, string? path)
        where TKey : notnull
    {
        if (cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        CompiledTemplate compiled;
        try
        {
            compiled = compile();
        }
        catch (JinjaSyntaxException e)
        {
            throw TemplateErrors.Create($"template syntax error: {e.Message}", null, source, e.Offset, path);
        }

        if (cache.Count >= MaxCached)
        {
            cache.Clear();
        }

        return cache.GetOrAdd(key, compiled);
    }

    [ThreadStatic]
    private static int nesting;

    /// <summary>Renders the templates inside a variable's value against the same variables, guarding against loops.</summary>
    private object? ResolveVariable(string name, object? value, IReadOnlyDictionary<string, object?> variables)
    {
        if (!HoldsTemplate(value))
        {
            return value;
        }

        if (nesting >= 32)
        {
            throw new TemplateException($"recursive loop detected in template string: '{name}' refers to itself", name);
        }

        nesting++;
        try
        {
            return Render(value, variables);
        }
        finally
        {
            nesting--;
        }
    }

    private bool HoldsTemplate(object? value) => value switch
    {
        string s => IsTemplated(s),
        IDictionary<string, object?> d => d.Values.Any(HoldsTemplate),
        IList<object?> l => l.Any(HoldsTemplate),
        _ => false,
    };

    private object? Run(CompiledTemplate compiled, IReadOnlyDictionary<string, object?> variables, string source, string? path)
    {
        var context = JinjaContext.Rent(new RenderScope(variables, (name, value) => ResolveVariable(name, value, variables)));
        object? result;
        try
        {
            result = compiled.Kind == TemplateKind.Text ? compiled.Scriban.Render(context) : compiled.Scriban.Evaluate(context);
        }
        catch (Exception e) when (e is not TemplateException and not OutOfMemoryException)
        {
            throw TemplateErrors.FromRuntime(e, compiled.Code, source, path);
        }
        finally
        {
            JinjaContext.Return(context);
        }

        return PyValue.Normalize(result) switch
        {
            Undefined u => throw TemplateErrors.Create(u.Message, u.Name, source, -1, path),
            var value => value,
        };
    }

    // Ansible's template module keeps the template's trailing newlines even when trim_blocks ate one.
    private static string KeepTrailingNewlines(string source, string result)
    {
        var wanted = source.Length - source.TrimEnd('\n').Length;
        var have = result.Length - result.TrimEnd('\n').Length;
        return have < wanted ? result + new string('\n', wanted - have) : result;
    }

    private object? RenderMapping(object map, IReadOnlyDictionary<string, object?> variables)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in PyValue.Entries(map))
        {
            var renderedKey = IsTemplated(key) ? PyFormat.Str(RenderString(key, variables)) : key;
            result[renderedKey] = Render(value, variables);
        }

        return result;
    }

    private List<object?> RenderSequence(IEnumerable items, IReadOnlyDictionary<string, object?> variables) =>
        items.Cast<object?>().Select(item => Render(item, variables)).ToList();
}
