using System.Security.Cryptography;
using System.Text;

namespace StateForge.Secrets;

/// <summary>Key derivation and AES-256-GCM over a <see cref="VaultEnvelope"/>.</summary>
internal static class VaultCipher
{
    public static byte[] DeriveKey(string password, ReadOnlySpan<byte> salt)
    {
        var secret = Encoding.UTF8.GetBytes(password);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(secret, salt, VaultFormat.Iterations, HashAlgorithmName.SHA256, VaultFormat.KeySize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(VaultFormat.SaltSize);

    /// <summary>Encrypts with a fresh nonce; the key must come from <see cref="DeriveKey"/> with this salt.</summary>
    public static VaultEnvelope Encrypt(ReadOnlySpan<byte> plaintext, byte[] key, byte[] salt)
    {
        var nonce = RandomNumberGenerator.GetBytes(VaultFormat.NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[VaultFormat.TagSize];
        using var aes = new AesGcm(key, VaultFormat.TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, VaultEnvelope.AssociatedData);
        return new VaultEnvelope(salt, nonce, ciphertext, tag);
    }

    /// <summary>The plaintext, or null when the key is wrong or any byte (or the header) was changed: GCM cannot tell which.</summary>
    public static byte[]? Decrypt(VaultEnvelope envelope, byte[] key)
    {
        var plaintext = new byte[envelope.Ciphertext.Length];
        using var aes = new AesGcm(key, VaultFormat.TagSize);
        try
        {
            aes.Decrypt(envelope.Nonce, envelope.Ciphertext, envelope.Tag, plaintext, VaultEnvelope.AssociatedData);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
