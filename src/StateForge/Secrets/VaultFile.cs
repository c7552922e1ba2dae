using StateForge.Diagnostics;
using StateForge.Parsing;

namespace StateForge.Secrets;

/// <summary>
/// The decrypting reader behind <see cref="YamlLoader.LoadFile"/>: a file that starts with the
/// vault header is decrypted in memory with <see cref="VaultKeyring.Current"/> and parsed under
/// its own name, so diagnostics point at lines of the plaintext in the encrypted file; `!vault`
/// values inside any file are decrypted too. Plain files pass through untouched.
/// </summary>
public static class VaultFile
{
    /// <summary>Parses <paramref name="text"/> read from <paramref name="path"/>, decrypting what is encrypted.</summary>
    public static YNode? Load(string path, string text, DiagnosticBag diagnostics, Func<string, string, DiagnosticBag, YNode?> parse)
    {
        if (Decrypt(path, text, diagnostics) is not { } plain)
        {
            return null;
        }

        return parse(path, plain, diagnostics) is { } node ? InlineVault.Reveal(node, path, VaultKeyring.Current, diagnostics) : null;
    }

    /// <summary>The text itself when it is not a vault; the plaintext when it is; null (see diagnostics) when it cannot be decrypted.</summary>
    public static string? Decrypt(string path, string text, DiagnosticBag diagnostics) =>
        VaultFormat.IsEncrypted(text)
            ? VaultKeyring.Current.DecryptText(path, text, diagnostics, new SourceSpan(path, 1, 1))
            : text;

    /// <summary>
    /// For modules that read files on the controller (copy and template `src`): the plaintext of a
    /// vault file, else the file's bytes. Null with <paramref name="problem"/> (safe to show: no
    /// secret in it) when the file cannot be read or decrypted.
    /// </summary>
    public static byte[]? ReadBytes(string path, out string? problem)
    {
        byte[] bytes;
        try
        {
            bytes = Parsing.BoundedFile.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return null;
        }

        problem = null;
        if (!bytes.AsSpan().StartsWith(PrefixBytes))
        {
            return bytes;
        }

        var diagnostics = new DiagnosticBag();
        var plaintext = VaultKeyring.Current.Decrypt(path, System.Text.Encoding.ASCII.GetString(bytes), diagnostics, SourceSpan.None);
        problem = plaintext is null ? diagnostics.FirstOrDefault()?.Message : null;
        return plaintext;
    }

    private static readonly byte[] PrefixBytes = System.Text.Encoding.ASCII.GetBytes(VaultFormat.Prefix);
}
