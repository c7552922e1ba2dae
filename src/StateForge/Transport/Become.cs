namespace StateForge.Transport;

/// <summary>How a script is run as another user (sudo, non-interactive or with a password on stdin).</summary>
public sealed record BecomeSpec(bool Enabled, string User, string Method = "sudo", string? Password = null)
{
    public static readonly BecomeSpec None = new(false, "root");

    /// <summary>Wraps a script so it runs as the become user; unchanged when no switch is needed.</summary>
    public string Wrap(string script, string connectedUser)
    {
        if (!Enabled || User == connectedUser)
        {
            return script;
        }

        return Method switch
        {
            "su" => Shell.Command("su", "-s", "/bin/sh", User, "-c", script),
            _ when Password is not null => Shell.Command("sudo", "-S", "-p", "", "-H", "-u", User, "--", "/bin/sh", "-c", script),
            _ => Shell.Command("sudo", "-n", "-H", "-u", User, "--", "/bin/sh", "-c", script),
        };
    }
}
