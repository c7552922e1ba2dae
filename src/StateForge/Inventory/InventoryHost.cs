namespace StateForge.Inventory;

/// <summary>
/// A host as a play sees it: its inventory name and its variables, already merged with
/// Ansible's precedence (all, then parent groups before child groups, then the host's own).
/// </summary>
public sealed record InventoryHost(string Name, IReadOnlyDictionary<string, object?> Vars)
{
    public string Address => Get("ansible_host") ?? Name;

    public int Port => Vars.TryGetValue("ansible_port", out var p) && p is not null && int.TryParse(p.ToString(), out var port) ? port : 22;

    public string? User => Get("ansible_user");

    /// <summary>local or ssh; a host named localhost without a setting is local, as in Ansible.</summary>
    public string Connection => Get("ansible_connection") ?? (Name is "localhost" or "127.0.0.1" ? "local" : "ssh");

    public string? Get(string name) => Vars.TryGetValue(name, out var v) && v is not null ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;
}
