namespace StateForge.Secrets;

/// <summary>Where a vault password comes from: a file, a script, a prompt. Asked at most once per keyring.</summary>
public interface IVaultPasswordSource
{
    /// <summary>The password; <paramref name="file"/> is the vault that needs it, for prompts and messages only.</summary>
    PasswordLookup GetPassword(string file);
}

/// <summary>
/// A password, or why there is none. <see cref="Problem"/> never holds the password: it is shown
/// to the user. Both null means no source was configured.
/// </summary>
public readonly record struct PasswordLookup(string? Password, string? Problem)
{
    public static PasswordLookup None => default;

    public static PasswordLookup Found(string password) => new(password, null);

    public static PasswordLookup Failed(string problem) => new(null, problem);
}

/// <summary>A password known in advance (tests, and callers that hold it already).</summary>
public sealed class FixedPasswordSource(string password) : IVaultPasswordSource
{
    public PasswordLookup GetPassword(string file) =>
        password.Length == 0 ? PasswordLookup.Failed("the vault password is empty") : PasswordLookup.Found(password);
}

/// <summary>Asks someone: the CLI passes a no-echo terminal prompt. Null from the prompt means nobody can answer.</summary>
public sealed class PromptPasswordSource(Func<string, string?> prompt) : IVaultPasswordSource
{
    public PasswordLookup GetPassword(string file) => prompt(file) switch
    {
        null => PasswordLookup.None,
        "" => PasswordLookup.Failed("the vault password is empty"),
        var password => PasswordLookup.Found(password),
    };
}
