using StateForge.Diagnostics;

namespace StateForge.Validation;

/// <summary>
/// Watches the files a playbook pulls in (imported playbooks, included and role task files) for
/// cycles, for chains deep enough to overflow the stack, and for fan-outs (each file including the
/// next twice) that would take forever to expand. Each is a diagnostic, not a hang or a crash.
/// </summary>
internal sealed class IncludeGuard(DiagnosticBag diagnostics)
{
    public const int MaxDepth = 100;
    public const int MaxFiles = 10_000;

    private readonly Stack<string> open = new();
    private readonly HashSet<string> openSet = new(StringComparer.Ordinal);
    private int entered;

    /// <summary>Whether <paramref name="path"/> may be read now; if so, call <see cref="Exit"/> when done.</summary>
    public bool TryEnter(string path, SourceSpan from)
    {
        var full = Path.GetFullPath(path);
        if (openSet.Contains(full))
        {
            diagnostics.Add(DiagnosticCatalog.CircularInclude(from, path));
            return false;
        }

        if (open.Count >= MaxDepth)
        {
            diagnostics.Add(DiagnosticCatalog.IncludesTooDeep(from, MaxDepth));
            return false;
        }

        if (++entered > MaxFiles)
        {
            if (entered == MaxFiles + 1)
            {
                diagnostics.Add(DiagnosticCatalog.TooManyIncludes(from, MaxFiles));
            }

            return false;
        }

        open.Push(full);
        openSet.Add(full);
        return true;
    }

    public void Exit() => openSet.Remove(open.Pop());
}
