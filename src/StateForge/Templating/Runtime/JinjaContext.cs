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

    public JinjaContext(RenderScope scope)
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

    public RenderScope Scope { get; }
}
