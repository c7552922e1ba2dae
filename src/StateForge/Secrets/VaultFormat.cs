namespace StateForge.Secrets;

/// <summary>
/// The StateForge vault text format: a header line, then base64 (wrapped at 80 columns) of
/// salt (16 bytes) ‖ nonce (12) ‖ ciphertext ‖ tag (16). The key is PBKDF2-HMAC-SHA256 of the
/// password and salt (600,000 iterations, 32 bytes); the cipher is AES-256-GCM with the header
/// line as associated data, so a changed header fails authentication like a changed byte.
/// </summary>
public static class VaultFormat
{
    /// <summary>What every vault file starts with; the version and cipher follow.</summary>
    public const string Prefix = "$STATEFORGE_VAULT;";

    /// <summary>The one header this version writes and reads.</summary>
    public const string Header = Prefix + "1.0;AES256-GCM";

    public const int SaltSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int KeySize = 32;

    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256; the BCL has no Argon2.</summary>
    public const int Iterations = 600_000;

    public const int LineWidth = 80;

    /// <summary>True when the text is a vault (file or inline value), whatever its version.</summary>
    public static bool IsEncrypted(string text) => text.StartsWith(Prefix, StringComparison.Ordinal);
}
