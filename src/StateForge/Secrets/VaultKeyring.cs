using System.Text;
using StateForge.Diagnostics;

namespace StateForge.Secrets;

/// <summary>
/// The vault password for one run, asked for once and only when an encrypted file is met, and the
/// keys derived from it. Loading code finds it through <see cref="Current"/>, which a caller sets
/// for its async flow with <see cref="Use"/>; without one, <see cref="FromEnvironment"/> applies.
/// Every failure becomes a diagnostic naming the file, never holding the password or the plaintext.
/// </summary>
public sealed class VaultKeyring
{
    private static readonly AsyncLocal<VaultKeyring?> Ambient = new();
    private static readonly Lock EnvironmentGate = new();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static (string? Path, VaultKeyring Keyring)? fromEnvironment;

    private readonly IVaultPasswordSource? source;
    private readonly Lock gate = new();
    private readonly Dictionary<string, byte[]> keysBySalt = new(StringComparer.Ordinal);
    private PasswordLookup? password;

    public VaultKeyring(IVaultPasswordSource? source) => this.source = source;

    /// <summary>No password: an encrypted file is an error that says how to give one.</summary>
    public static VaultKeyring None { get; } = new(null);

    /// <summary>The keyring for this async flow, else the one <see cref="FromEnvironment"/> gives.</summary>
    public static VaultKeyring Current => Ambient.Value ?? FromEnvironment();

    /// <summary>Makes <paramref name="keyring"/> current for this async flow until the result is disposed.</summary>
    public static IDisposable Use(VaultKeyring keyring)
    {
        var previous = Ambient.Value;
        Ambient.Value = keyring;
        return new Restore(previous);
    }

    /// <summary>The password file named by STATEFORGE_VAULT_PASSWORD_FILE, if set; one keyring per value.</summary>
    public static VaultKeyring FromEnvironment()
    {
        var path = Environment.GetEnvironmentVariable(PasswordFileSource.EnvironmentVariable);
        path = string.IsNullOrEmpty(path) ? null : path;
        lock (EnvironmentGate)
        {
            if (fromEnvironment is not { } cached || cached.Path != path)
            {
                cached = (path, path is null ? None : new VaultKeyring(new PasswordFileSource(path)));
                fromEnvironment = cached;
            }

            return cached.Keyring;
        }
    }

    /// <summary>
    /// The keyring a command line builds: the password file option wins, then the environment
    /// variable, then the prompt (which answers null when there is no terminal).
    /// </summary>
    public static VaultKeyring Create(string? passwordFile, Func<string, string?>? prompt) =>
        Create(passwordFile, prompt is null ? null : new PromptPasswordSource(prompt));

    /// <inheritdoc cref="Create(string?, Func{string, string?}?)"/>
    public static VaultKeyring Create(string? passwordFile, IVaultPasswordSource? prompt)
    {
        if (!string.IsNullOrEmpty(passwordFile))
        {
            return new VaultKeyring(new PasswordFileSource(passwordFile));
        }

        // A fresh keyring per run: a password file edited between runs in one process is read again.
        if (Environment.GetEnvironmentVariable(PasswordFileSource.EnvironmentVariable) is { Length: > 0 } fromEnv)
        {
            return new VaultKeyring(new PasswordFileSource(fromEnv));
        }

        return prompt is null ? None : new VaultKeyring(prompt);
    }

    /// <summary>Decrypts a vault text; null, with a diagnostic at <paramref name="at"/>, when it cannot.</summary>
    public byte[]? Decrypt(string file, string text, DiagnosticBag diagnostics, SourceSpan at)
    {
        if (VaultEnvelope.Parse(text, out var problem) is not { } envelope)
        {
            diagnostics.Add(DiagnosticCatalog.VaultMalformed(at, file, problem!));
            return null;
        }

        if (KeyFor(file, envelope.Salt, diagnostics, at) is not { } key)
        {
            return null;
        }

        var plaintext = VaultCipher.Decrypt(envelope, key);
        if (plaintext is null)
        {
            diagnostics.Add(DiagnosticCatalog.VaultWrongPassword(at, file));
        }

        return plaintext;
    }

    /// <summary>Decrypts a vault that must hold UTF-8 text (variables files, inline values).</summary>
    public string? DecryptText(string file, string text, DiagnosticBag diagnostics, SourceSpan at)
    {
        if (Decrypt(file, text, diagnostics, at) is not { } bytes)
        {
            return null;
        }

        try
        {
            var decoded = StrictUtf8.GetString(bytes);
            return decoded.StartsWith('\uFEFF') ? decoded[1..] : decoded;
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Add(DiagnosticCatalog.VaultNotText(at, file));
            return null;
        }
    }

    /// <summary>Encrypts with a fresh salt and nonce; null, with a diagnostic, when there is no password.</summary>
    public string? Encrypt(string file, ReadOnlySpan<byte> plaintext, DiagnosticBag diagnostics, SourceSpan at) =>
        Encrypt(file, plaintext, diagnostics, at, VaultCipher.NewSalt());

    /// <summary>With a chosen salt: tests reuse one so the slow key derivation runs once.</summary>
    internal string? Encrypt(string file, ReadOnlySpan<byte> plaintext, DiagnosticBag diagnostics, SourceSpan at, byte[] salt) =>
        KeyFor(file, salt, diagnostics, at) is { } key ? VaultCipher.Encrypt(plaintext, key, salt).ToText() : null;

    /// <summary>Asks the source once; later files reuse the answer, a failure included.</summary>
    internal PasswordLookup Password(string file)
    {
        lock (gate)
        {
            password ??= source?.GetPassword(file) ?? PasswordLookup.None;
            return password.Value;
        }
    }

    private byte[]? KeyFor(string file, byte[] salt, DiagnosticBag diagnostics, SourceSpan at)
    {
        var lookup = Password(file);
        if (lookup.Problem is { } problem)
        {
            diagnostics.Add(DiagnosticCatalog.VaultPasswordUnavailable(at, file, problem));
            return null;
        }

        if (lookup.Password is not { } secret)
        {
            diagnostics.Add(DiagnosticCatalog.VaultNoPassword(at, file));
            return null;
        }

        // 600,000 iterations cost a noticeable fraction of a second: derive once per salt.
        var saltKey = Convert.ToBase64String(salt);
        lock (gate)
        {
            if (keysBySalt.TryGetValue(saltKey, out var known))
            {
                return known;
            }
        }

        var key = VaultCipher.DeriveKey(secret, salt);
        lock (gate)
        {
            keysBySalt[saltKey] = key;
        }

        return key;
    }

    private sealed class Restore(VaultKeyring? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
