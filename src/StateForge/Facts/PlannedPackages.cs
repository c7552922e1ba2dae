using System.Collections.Immutable;
using StateForge.Transport;

namespace StateForge.Facts;

/// <summary>One package change that a task earlier in the run planned on a host.</summary>
/// <param name="Name">The package's name (no version pin).</param>
/// <param name="Installed">True when the package will be installed (or upgraded), false when removed.</param>
/// <param name="Version">The version it will have, when known.</param>
public sealed record PlannedPackage(string Name, bool Installed, string? Version);

/// <summary>
/// The package changes planned so far on a host, for the tasks after them: a package task
/// simulates this fact, a later task reads it. A service task that finds its unit missing, in
/// check mode, plans "would start" when a package is planned for installation instead of
/// failing; a later package task sees the packages an earlier one would install. Modules talk
/// through this fact only, never to each other.
/// </summary>
public sealed record PlannedPackages(ImmutableDictionary<string, PlannedPackage> ByName)
{
    public static readonly PlannedPackages None = new(ImmutableDictionary<string, PlannedPackage>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>The packages that will be installed or upgraded, sorted by name.</summary>
    public ImmutableArray<string> Installing => [.. ByName.Values.Where(p => p.Installed).Select(p => p.Name).Order(StringComparer.Ordinal)];

    public PlannedPackages With(PlannedPackage package) => new(ByName.SetItem(package.Name, package));

    public PlannedPackage? Find(string name) => ByName.GetValueOrDefault(name);
}

/// <summary>
/// Reads <see cref="PlannedPackages"/>. Nothing is planned before the run starts, so the host
/// is asked nothing: the script is a no-op and the value is <see cref="PlannedPackages.None"/>
/// until a package task simulates it. Modules that read it list this probe among theirs, so it
/// costs nothing beyond an empty step in the fact batch.
/// </summary>
public sealed record PlannedPackagesProbe() : FactProbe("planned:packages")
{
    public override string Script => ":";

    public override object? Parse(StepResult result) => PlannedPackages.None;
}
