using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace StateForge.Templating.Runtime;

/// <summary>
/// A function the translated template calls (`__jf_join(x, ",")`). It normalises Scriban's
/// values, binds Python-style arguments, and refuses undefined values unless it is one of the
/// few that handle them (default, defined, lenient lookups).
/// </summary>
internal sealed class JinjaFunction(string name, string[] signature, Func<Args, RenderScope, object?> body, bool acceptsUndefined = false)
    : IScriptCustomFunction
{
    public string Name { get; } = name;

    public int RequiredParameterCount => 0;

    public int ParameterCount => 0;

    public ScriptVarParamKind VarParamKind => ScriptVarParamKind.Direct;

    public Type ReturnType => typeof(object);

    public ScriptParameterInfo GetParameterInfo(int index) => new(typeof(object), "arg" + index);

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray parameters, ScriptBlockStatement? blockStatement)
    {
        var positional = new List<object?>(parameters.Count);
        KeywordArguments? keywords = null;
        foreach (var raw in parameters)
        {
            if (raw is KeywordArguments kw)
            {
                keywords = kw;
                continue;
            }

            var value = PyValue.Normalize(raw);
            if (value is Undefined u && !acceptsUndefined)
            {
                throw u.ToException();
            }

            positional.Add(value);
        }

        if (keywords is not null && !acceptsUndefined && keywords.Values.OfType<Undefined>().FirstOrDefault() is { } undefined)
        {
            throw undefined.ToException();
        }

        return body(new Args(Name, signature, positional, keywords), ((JinjaContext)context).Scope);
    }

    /// <summary>Calls the function from another one (`map('upper')`, `select('match', …)`).</summary>
    public object? Call(RenderScope scope, IReadOnlyList<object?> positional, KeywordArguments? keywords = null)
    {
        if (!acceptsUndefined && positional.OfType<Undefined>().FirstOrDefault() is { } undefined)
        {
            throw undefined.ToException();
        }

        return body(new Args(Name, signature, positional, keywords), scope);
    }

    public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray parameters, ScriptBlockStatement? blockStatement) =>
        new(Invoke(context, callerContext, parameters, blockStatement));
}
