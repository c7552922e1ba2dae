using System.Collections.Immutable;
using System.Reflection;

namespace StateForge.Modules;

/// <summary>Every module StateForge knows, by short name and by the Ansible FQCNs it mirrors.</summary>
public sealed class ModuleCatalog
{
    private readonly ImmutableDictionary<string, IModule> byName;

    public ModuleCatalog(IEnumerable<IModule> modules)
    {
        Modules = [.. modules.OrderBy(m => m.Info.Name, StringComparer.Ordinal)];
        byName = Modules
            .SelectMany(m => m.Info.Aliases.Prepend(m.Info.Name).Select(n => (n, m)))
            .ToImmutableDictionary(x => x.n, x => x.m, StringComparer.Ordinal);
    }

    /// <summary>The modules built into StateForge (every sealed <see cref="IModule"/> with [Module] in this assembly).</summary>
    public static ModuleCatalog BuiltIn { get; } = new(
        typeof(ModuleCatalog).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IModule).IsAssignableFrom(t) && t.GetCustomAttribute<ModuleAttribute>() is not null)
            .Select(t => (IModule)Activator.CreateInstance(t)!));

    public ImmutableArray<IModule> Modules { get; }

    public IEnumerable<string> Names => byName.Keys;

    public IModule? Find(string name) => byName.GetValueOrDefault(name);
}
