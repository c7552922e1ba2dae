namespace StateForge.Inventory.Hosts;

/// <summary>The hosts one inventory entry stands for, with the port it gives them, or why it is bad.</summary>
internal sealed record HostEntryResult(IReadOnlyList<string> Names, int? Port, string? Error);

/// <summary>Ansible's _expand_hostpattern: split off a port, then expand [x:y] ranges.</summary>
internal static class HostEntry
{
    public static HostEntryResult Expand(string entry)
    {
        var (pattern, port) = HostAddress.Split(entry);
        if (port is null && entry.TrimEnd().EndsWith(':'))
        {
            return Bad($"invalid host pattern '{entry}': ending in ':' is not allowed, this character is reserved to provide a port");
        }

        IReadOnlyList<string> names;
        try
        {
            names = HostRange.HasRange(pattern) ? HostRange.Expand(pattern) : [pattern];
        }
        catch (FormatException e)
        {
            return Bad($"invalid host pattern '{entry}': {e.Message}");
        }

        if (names.Count == 0)
        {
            // HostRange follows Python's range(), which quietly gives nothing for [3:1]; in an inventory that is always a typo.
            return Bad($"invalid host pattern '{entry}': its range names no hosts; a range must have begin <= end (or a negative step)");
        }

        if (names.Any(n => n.Trim() == "---"))
        {
            return Bad($"invalid host pattern '{entry}': '---' is normally a sign this is a YAML file");
        }

        return names.Any(n => n.Length == 0) ? Bad("a host name must not be empty") : new HostEntryResult(names, port, null);
    }

    private static HostEntryResult Bad(string error) => new([], null, error);
}
