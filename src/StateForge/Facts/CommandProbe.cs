using StateForge.Transport;

namespace StateForge.Facts;

/// <summary>The raw result of a read-only command (e.g. `iptables-save -t filter`, `exportfs -v`).</summary>
public sealed record CommandProbe(string Name, IReadOnlyList<string> Argv) : FactProbe("cmd:" + Name + ":" + string.Join('\u001f', Argv))
{
    public override string Script => Shell.Command(Argv);

    public override object? Parse(StepResult result) => new CommandResult(result.ExitCode, result.Stdout, result.Stderr);
}
