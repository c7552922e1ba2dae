using StateForge.Diagnostics;
using StateForge.Inventory;
using StateForge.Modules;
using StateForge.Templating;
using StateForge.Transport;
using StateForge.Transport.Ssh;

namespace StateForge.Cli;

/// <summary>Wires the engine's parts together for the command line.</summary>
internal static class Composition
{
    public static StateForgeEngine Engine(SshSettings? ssh = null) =>
        new(ModuleCatalog.BuiltIn, new ScribanTemplateEngine(), new ConnectionFactory(new SshConnectionFactory(ssh ?? new SshSettings())));

    /// <summary>The inventories given with -i (or the implicit localhost), plus group_vars/host_vars beside the playbook.</summary>
    public static IInventory LoadInventory(IReadOnlyList<string> sources, string? playbookPath, DiagnosticBag diagnostics)
    {
        var model = InventoryLoader.Load(sources, diagnostics);
        if (playbookPath is not null && Path.GetDirectoryName(Path.GetFullPath(playbookPath)) is { } dir)
        {
            model = model.WithVarsDirectory(dir, diagnostics);
        }

        return model;
    }
}
