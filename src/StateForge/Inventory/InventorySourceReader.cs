using StateForge.Diagnostics;
using StateForge.Inventory.Building;
using StateForge.Inventory.Ini;
using StateForge.Inventory.Yaml;
using StateForge.Parsing;

namespace StateForge.Inventory;

/// <summary>Reads inventory files and directories into a builder, telling YAML from INI.</summary>
internal static class InventorySourceReader
{
    // Ansible's directory rules: hidden files, the vars directories and INVENTORY_IGNORE_EXTS
    // (its REJECT_EXTS plus .orig, .cfg and .retry) are not inventory.
    private static readonly string[] IgnoredNames = ["group_vars", "host_vars", "vars_plugins"];
    private static readonly string[] IgnoredSuffixes =
        [".orig", ".cfg", ".retry", ".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst"];

    private static readonly string[] YamlExtensions = [".yml", ".yaml", ".json"];

    public static void ReadDirectory(InventoryBuilder builder, string directory)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || IgnoredNames.Contains(name) || IgnoredSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)))
            {
                continue;
            }

            if (Directory.Exists(path))
            {
                ReadDirectory(builder, path);
            }
            else
            {
                ReadFile(builder, path);
            }
        }
    }

    public static void ReadFile(InventoryBuilder builder, string path)
    {
        byte[] bytes;
        try
        {
            bytes = Parsing.BoundedFile.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            builder.Diagnostics.Add(File.Exists(path)
                ? DiagnosticCatalog.FileUnreadable(SourceSpan.None, path, e.Message)
                : DiagnosticCatalog.FileNotFound(SourceSpan.None, "inventory file", path));
            return;
        }

        if (SourceText.Decode(bytes, path, builder.Diagnostics) is not { } decoded
            || Secrets.VaultFile.Decrypt(path, decoded, builder.Diagnostics) is not { } text)
        {
            return;
        }

        builder.CurrentSource = Path.GetFullPath(path);
        if (text.StartsWith("#!", StringComparison.Ordinal) && IsExecutable(path))
        {
            builder.Diagnostics.Add(DiagnosticCatalog.InventoryScriptUnsupported(new SourceSpan(path, 1, 1), path));
            return;
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (YamlExtensions.Contains(extension))
        {
            ReadYaml(builder, path, YamlLoader.Load(path, text, builder.Diagnostics));
        }
        else if (extension == ".ini" || !TryReadAsYaml(builder, path, text))
        {
            new IniInventoryParser(builder, path).Parse(text);
        }
    }

    /// <summary>Like Ansible's yaml-then-ini attempt: YAML when the file is a YAML mapping of groups.</summary>
    private static bool TryReadAsYaml(InventoryBuilder builder, string path, string text)
    {
        var scratch = new DiagnosticBag();
        if (YamlLoader.Load(path, text, scratch) is not YMapping root)
        {
            return false;
        }

        builder.Diagnostics.AddRange(scratch);
        ReadYaml(builder, path, root);
        return true;
    }

    private static void ReadYaml(InventoryBuilder builder, string path, YNode? root)
    {
        switch (root)
        {
            case null:
            case YScalar s when s.ToPlain() is null:
                return;
            case YMapping mapping:
                new YamlInventoryParser(builder).Parse(mapping);
                return;
            default:
                builder.Diagnostics.Add(DiagnosticCatalog.InvalidInventory(root.Span, $"a YAML inventory must be a mapping of groups (usually 'all:'), not {root.KindName}"));
                return;
        }
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
