namespace StateForge.Lab;

/// <summary>How to start a lab; every value has a default that suits a test.</summary>
/// <param name="Directory">Where the lab keeps its key, known_hosts, inventory and logs; a new
/// directory under the temp directory when null.</param>
/// <param name="Prefix">Host name prefix: prefix1…prefixN (default "host").</param>
/// <param name="Subnet">"10.X.Y" for the bridge; derived from the directory when null.</param>
/// <param name="Systemd">Boot systemd hosts with systemd-nspawn instead of light hosts.</param>
/// <param name="ScriptPath">The lab script; found from the repository when null.</param>
/// <param name="Environment">Extra environment variables for the script.</param>
public sealed record LabOptions(
    string? Directory = null,
    string? Prefix = null,
    string? Subnet = null,
    bool Systemd = false,
    string? ScriptPath = null,
    IReadOnlyDictionary<string, string>? Environment = null);
