using System.Runtime.CompilerServices;
using StateForge.Diagnostics;
using StateForge.Inventory;

namespace StateForge.Tests.Inventory;

/// <summary>
/// Finds test data under Inventory/Fixtures beside this source file (the test project copies
/// nothing to its output), and writes throwaway inventories to temporary directories.
/// </summary>
internal static class InventoryFixtures
{
    public static string Root { get; } = Path.Combine(SourceDirectory(), "Fixtures");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Loads fixture sources and asserts they load without errors or warnings.</summary>
    public static InventoryModel LoadClean(params string[] relativeSources)
    {
        var diagnostics = new DiagnosticBag();
        var model = InventoryLoader.Load([.. relativeSources.Select(s => PathOf(s))], diagnostics);
        diagnostics.Should().BeEmpty();
        return model;
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

/// <summary>A temporary directory for inventories written by a test, deleted afterwards.</summary>
internal sealed class TempInventory : IDisposable
{
    public TempInventory() => Directory.CreateDirectory(Dir);

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "stateforge-inventory-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Writes a file (creating folders) and returns its full path.</summary>
    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Dir, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public (InventoryModel Model, DiagnosticBag Diagnostics) Load(params string[] relativeSources)
    {
        var diagnostics = new DiagnosticBag();
        var model = InventoryLoader.Load([.. relativeSources.Select(s => Path.Combine(Dir, s))], diagnostics);
        return (model, diagnostics);
    }

    /// <summary>Writes one inventory file and loads it.</summary>
    public (InventoryModel Model, DiagnosticBag Diagnostics) LoadText(string fileName, string text)
    {
        Write(fileName, text);
        return Load(fileName);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
