using StateForge.Transport;

namespace StateForge.Facts;

/// <summary>
/// One fact a module needs from a host: a key (what it is), a POSIX sh fragment that prints it,
/// and a parser. The engine batches every probe a play needs into one remote command.
/// </summary>
public abstract record FactProbe(string Key)
{
    /// <summary>The sh fragment; its stdout, stderr and exit code reach <see cref="Parse"/>.</summary>
    public abstract string Script { get; }

    public abstract object? Parse(StepResult result);

    /// <summary>
    /// True when a value already known for <see cref="Key"/> (fetched by another probe with the
    /// same key, or simulated) answers this probe too.
    /// </summary>
    public virtual bool IsSatisfiedBy(object? known) => true;
}
