namespace StateForge.Templating.Runtime;

/// <summary>
/// What a lenient lookup returns for a missing variable or key (Jinja's Undefined). Only
/// `default`, `is defined` / `is undefined` and further lenient lookups accept it; any other
/// use raises <see cref="JinjaRuntimeException"/> naming <see cref="Name"/>.
/// </summary>
internal sealed class Undefined(string name, string? reason = null)
{
    public string Name { get; } = name;

    public string Message => reason ?? $"'{Name}' is undefined";

    public JinjaRuntimeException ToException() => new(Message, Name);

    public override string ToString() => Message;
}

/// <summary>An error while evaluating a template (bad type, undefined variable, invalid argument).</summary>
internal sealed class JinjaRuntimeException(string message, string? variable = null) : Exception(message)
{
    public string? Variable { get; } = variable;
}
