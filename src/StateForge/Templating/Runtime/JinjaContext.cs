using Scriban;
using Scriban.Runtime;

namespace StateForge.Templating.Runtime;

/// <summary>
/// A Scriban context for one render: no builtins, the render scope as the only global, bounded
/// loops, recursion and output, and no auto-indentation (text is copied exactly as written).
/// </summary>
internal sealed class JinjaContext : TemplateContext
{
    public const int MaxLoopIterations = 100_000;

    public const int MaxOutput = 64 * 1024 * 1024;

    // Building a context costs more than a typical render; each thread keeps one to reuse.
    [ThreadStatic]
    private static JinjaContext? spare;

    private JinjaContext(RenderScope scope)
        : base(new ScriptObject(0), StringComparer.Ordinal)
    {
        Scope = scope;
        StrictVariables = true;
        AutoIndent = false;
        LoopLimit = MaxLoopIterations;
        RecursiveLimit = 64;
        OutputLimit = MaxOutput;
        EnableRelaxedMemberAccess = false;
        MemberRenamer = member => member.Name;
        MemberFilter = _ => false;
        TemplateLoader = null;
        PushGlobal(scope);
    }

    public RenderScope Scope { get; private set; }

    /// <summary>A clean context for one render; give it back with <see cref="Return"/>.</summary>
    public static JinjaContext Rent(RenderScope scope)
    {
        var context = spare;
        spare = null;
        if (context is null)
        {
            return new JinjaContext(scope);
        }

        context.Reset();
        context.Scope = scope;
        context.PushGlobal(scope);
        return context;
    }

    public static void Return(JinjaContext context) => spare = context;
}
