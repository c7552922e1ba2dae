namespace StateForge.Transport;

/// <summary>How a script is run as another user (sudo, non-interactive or with a password on stdin).</summary>
public sealed record BecomeSpec(bool Enabled, string User, string Method = "sudo", string? Password = null)
{
    public static readonly BecomeSpec None = new(false, "root");

    /// <summary>
    /// The command that runs a POSIX shell reading its script from stdin, as the become user.
    /// With a become password, the password is the first line of stdin (sudo -S reads it).
    /// </summary>
    public string ShellCommand(string connectedUser)
    {
        if (!Enabled || User == connectedUser)
        {
            return "/bin/sh -s";
        }

        return Method switch
        {
            "su" => Shell.Command("su", "-s", "/bin/sh", User, "-c", "/bin/sh -s"),
            _ when Password is not null => Shell.Command("sudo", "-S", "-p", "", "-H", "-u", User, "--", "/bin/sh", "-s"),
            _ => Shell.Command("sudo", "-n", "-H", "-u", User, "--", "/bin/sh", "-s"),
        };
    }

    /// <summary>What goes on stdin before the script: the become password line, if one is needed.</summary>
    public string StdinPrefix(string connectedUser) =>
        Enabled && User != connectedUser && Password is not null && Method != "su" ? Password + "\n" : "";
}
