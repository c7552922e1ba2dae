using StateForge.Diagnostics;
using StateForge.Inventory.Building;
using StateForge.Inventory.Hosts;

namespace StateForge.Inventory.Ini;

/// <summary>
/// One line of an INI inventory section. Host lines are split like a shell command line and
/// each key=value is read as a Python literal; a [group:vars] line is key=value with everything
/// after the first '=' as the value, also read as a Python literal (so quotes are kept out of
/// the value only when the whole value is one quoted string, as in Ansible).
/// </summary>
internal sealed class IniLineParser(InventoryBuilder builder, GroupDraft group, SourceSpan at)
{
    public void ParseHosts(string line)
    {
        var (words, error, errorColumn) = ShellWords.Split(line);
        if (error is not null)
        {
            Error(errorColumn, error);
            return;
        }

        if (words.Count == 0)
        {
            return;
        }

        if (words[0].Text.Contains('=', StringComparison.Ordinal))
        {
            // Ansible would make a host named "key=value" here; that is always a mistake.
            Error(words[0].Column, $"'{words[0].Text}' is a variable where a host name belongs; set group variables in a [{group.Name}:vars] section");
            return;
        }

        var entry = HostEntry.Expand(words[0].Text);
        if (entry.Error is not null)
        {
            Error(words[0].Column, entry.Error);
            return;
        }

        var variables = new List<(string Key, object? Value)>();
        var bad = false;
        foreach (var word in words.Skip(1))
        {
            var eq = word.Text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                Error(word.Column, eq < 0
                    ? $"expected key=value host variable assignment, got '{word.Text}'"
                    : $"host variable assignment '{word.Text}' has no name before '='");
                bad = true;
                continue;
            }

            variables.Add((word.Text[..eq], PythonLiteral.Evaluate(word.Text[(eq + 1)..])));
        }

        if (bad)
        {
            return;
        }

        var defined = at with { Column = words[0].Column };
        foreach (var name in entry.Names)
        {
            var host = builder.AddHost(name, group, entry.Port, defined);
            foreach (var (key, value) in variables)
            {
                host.Vars[key] = value;
            }
        }
    }

    public void ParseVariable(string trimmed)
    {
        var eq = trimmed.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
        {
            Error(at.Column, $"expected key=value in [{group.Name}:vars], got '{trimmed}'");
            return;
        }

        var key = trimmed[..eq].Trim();
        if (key.Length == 0)
        {
            Error(at.Column, $"variable assignment '{trimmed}' in [{group.Name}:vars] has no name before '='");
            return;
        }

        builder.SetGroupVar(group, key, PythonLiteral.Evaluate(trimmed[(eq + 1)..].Trim()), at);
    }

    private void Error(int column, string message) =>
        builder.Diagnostics.Add(DiagnosticCatalog.InvalidInventory(at with { Column = column }, message));
}
