using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using StateForge.Diagnostics;
using StateForge.Secrets;

namespace StateForge.Tests.Secrets;

/// <summary>A temp directory with helpers to write plain and encrypted files.</summary>
internal sealed class VaultFixture : IDisposable
{
    public const string Password = "correct horse battery staple";

    public string Dir { get; } = Directory.CreateTempSubdirectory("sf-vault-").FullName;

    private static readonly ConcurrentDictionary<string, VaultKeyring> Keyrings = new(StringComparer.Ordinal);

    /// <summary>
    /// One keyring per password for the whole test run, and one salt per password in
    /// <see cref="Encrypt(byte[], string)"/>: PBKDF2 at 600,000 iterations then runs once per
    /// password instead of twice per test, and the suite leaves CPU for timing tests.
    /// </summary>
    public static VaultKeyring Keyring(string password = Password) => Keyrings.GetOrAdd(password, p => new VaultKeyring(new FixedPasswordSource(p)));

    public static string Encrypt(string plaintext, string password = Password) => Encrypt(Encoding.UTF8.GetBytes(plaintext), password);

    public static string Encrypt(byte[] plaintext, string password = Password)
    {
        var diagnostics = new DiagnosticBag();
        var salt = SHA256.HashData(Encoding.UTF8.GetBytes(password))[..VaultFormat.SaltSize];
        var text = Keyring(password).Encrypt("test", plaintext, diagnostics, SourceSpan.None, salt);
        diagnostics.Should().BeEmpty();
        return text!;
    }

    public string Path(string relative) => System.IO.Path.Combine(Dir, relative);

    public string Write(string relative, string text)
    {
        var path = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string WriteEncrypted(string relative, string plaintext, string password = Password) => Write(relative, Encrypt(plaintext, password));

    /// <summary>An executable script; the vault password scripts are run, not read.</summary>
    public string WriteScript(string relative, string body)
    {
        var path = Write(relative, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
