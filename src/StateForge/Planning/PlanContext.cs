using StateForge.Facts;
using StateForge.Templating;

namespace StateForge.Planning;

/// <summary>What a module sees while planning one task on one host.</summary>
public sealed class PlanContext
{
    public required string Host { get; init; }

    public required HostFacts Facts { get; init; }

    public required bool CheckMode { get; init; }

    public required IReadOnlyDictionary<string, object?> Variables { get; init; }

    public required ITemplateEngine Templates { get; init; }

    /// <summary>Run-scoped services shared by all tasks (one Kubernetes client per cluster, …).</summary>
    public Execution.RunServices Services { get; init; } = new();

    /// <summary>Directories searched, in order, for a relative `src` (role files/, templates/, the playbook's, …).</summary>
    public IReadOnlyList<string> SearchPaths { get; init; } = [];

    /// <summary>Finds a relative file in <see cref="SearchPaths"/> (under `subdirectory` first); absolute paths pass through.</summary>
    public string? ResolveFile(string path, string subdirectory)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : null;
        }

        foreach (var dir in SearchPaths)
        {
            foreach (var candidate in new[] { Path.Combine(dir, subdirectory, path), Path.Combine(dir, path) })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
