using System.Diagnostics;
using StateForge.Diagnostics;
using StateForge.Inventory;
using StateForge.Modules;

namespace StateForge.Tests.Corpus;

/// <summary>What loading one input gave: its diagnostics, the exception that escaped (a bug), how long it took.</summary>
internal sealed record LoadOutcome(IReadOnlyList<Diagnostic> Diagnostics, Exception? Crash, TimeSpan Elapsed, int ConnectAttempts);

/// <summary>Loads playbooks and inventories as `stateforge validate` does, catching what escapes.</summary>
internal static class CorpusLoader
{
    /// <summary>
    /// As the CLI: the inventory (here the corpus's fixed one) with group_vars/host_vars beside the
    /// playbook, then <see cref="StateForgeEngine.Load"/>, which validates the playbook and its host patterns.
    /// </summary>
    public static LoadOutcome Playbook(string path, string? inventoryPath = null) => Run(bag =>
    {
        var inventory = InventoryLoader.Load([inventoryPath ?? CorpusFiles.Inventory], bag)
            .WithVarsDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!, bag);
        var connections = new NoHostsTouched();
        new StateForgeEngine(ModuleCatalog.BuiltIn, new QuietTemplates(), connections).Load(path, inventory, bag);
        return connections.Attempts;
    });

    public static LoadOutcome Inventory(string path) => Run(bag =>
    {
        InventoryLoader.Load([path], bag);
        return 0;
    });

    private static LoadOutcome Run(Func<DiagnosticBag, int> load)
    {
        var bag = new DiagnosticBag();
        var clock = Stopwatch.StartNew();
        try
        {
            var attempts = load(bag);
            return new LoadOutcome(bag.Sorted(), null, clock.Elapsed, attempts);
        }
        catch (Exception e)
        {
            return new LoadOutcome(bag.Sorted(), e, clock.Elapsed, 0);
        }
    }
}
