using System.CommandLine;

namespace StateForge.Cli.Commands;

/// <summary>Options shared by the commands that load a playbook, named as ansible-playbook names them.</summary>
internal sealed class CommonOptions
{
    public Argument<string> Playbook { get; } = new("PLAYBOOK") { Description = "The playbook to run." };

    public Option<string[]> Inventory { get; } = new("--inventory", "-i")
    {
        Description = "Inventory file, directory or comma-separated host list (repeatable). Default: the implicit localhost.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> ExtraVars { get; } = new("--extra-vars", "-e")
    {
        Description = "Extra variables, highest precedence: K=V, @FILE (YAML/JSON) or inline JSON/YAML (repeatable).",
    };

    public Option<string?> Limit { get; } = new("--limit", "-l") { Description = "Further limit the hosts with a pattern." };

    public Option<string[]> Tags { get; } = new("--tags", "-t") { Description = "Only run tasks with these tags (comma-separated, repeatable)." };

    public Option<string[]> SkipTags { get; } = new("--skip-tags") { Description = "Skip tasks with these tags (comma-separated, repeatable)." };

    public Option<int> Forks { get; } = new("--forks", "-f") { Description = "Hosts to work on at once.", DefaultValueFactory = _ => 20 };

    public Option<bool> Diff { get; } = new("--diff", "-D") { Description = "Show the differences (unified diffs for files)." };

    public Option<string?> Json { get; } = new("--json") { Description = "Write the JSON report to PATH, or '-' for stdout." };

    public Option<string?> KnownHosts { get; } = new("--known-hosts") { Description = "OpenSSH known_hosts file to check host keys against (default ~/.ssh/known_hosts)." };

    public Option<string> HostKeyChecking { get; } = new("--host-key-checking")
    {
        Description = "strict (default): the key must be known; accept-new: record unknown keys; off: accept any key.",
        DefaultValueFactory = _ => "strict",
    };

    public Option<int> Timeout { get; } = new("--timeout", "-T") { Description = "SSH connect timeout in seconds.", DefaultValueFactory = _ => 10 };

    public Option<int> CommandTimeout { get; } = new("--command-timeout") { Description = "Longest one remote command may run, in seconds (0: no limit).", DefaultValueFactory = _ => 0 };

    public Option<int> LockTimeout { get; } = new("--lock-timeout")
    {
        Description = "Seconds an apply waits for a host's run lock held by another run (default 0: that host fails at once, naming the holder).",
        DefaultValueFactory = _ => 0,
    };

    public Option<string?> User { get; } = new("--user", "-u") { Description = "Connect as this user (default: the inventory's ansible_user, else yours)." };

    public Option<string?> PrivateKey { get; } = new("--private-key") { Description = "Private key file (default: the inventory's, else ~/.ssh/id_*)." };

    public Option<string?> VaultPasswordFile { get; } = VaultCommand.PasswordFileOption();

    public void AddTo(Command command, bool run)
    {
        command.Arguments.Add(Playbook);
        command.Options.Add(VaultPasswordFile);
        command.Options.Add(Inventory);
        command.Options.Add(ExtraVars);
        if (run)
        {
            command.Options.Add(Limit);
            command.Options.Add(Tags);
            command.Options.Add(SkipTags);
            command.Options.Add(Forks);
            command.Options.Add(Diff);
            command.Options.Add(Json);
            command.Options.Add(KnownHosts);
            command.Options.Add(HostKeyChecking);
            command.Options.Add(Timeout);
            command.Options.Add(CommandTimeout);
            command.Options.Add(LockTimeout);
            command.Options.Add(User);
            command.Options.Add(PrivateKey);
            HostKeyChecking.AcceptOnlyFromAmong("strict", "accept-new", "off");
        }
    }
}
