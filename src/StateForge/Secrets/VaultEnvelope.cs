using System.Text;

namespace StateForge.Secrets;

/// <summary>The parts of a vault text. Parsing never sees the password, so its problems name only the layout.</summary>
internal sealed record VaultEnvelope(byte[] Salt, byte[] Nonce, byte[] Ciphertext, byte[] Tag)
{
    private const int Overhead = VaultFormat.SaltSize + VaultFormat.NonceSize + VaultFormat.TagSize;

    /// <summary>The header as associated data: AES-GCM authenticates it with the ciphertext.</summary>
    public static byte[] AssociatedData { get; } = Encoding.ASCII.GetBytes(VaultFormat.Header);

    /// <summary>The envelope, or null with the reason the text is not one.</summary>
    public static VaultEnvelope? Parse(string text, out string? problem)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var header = (newline < 0 ? text : text[..newline]).TrimEnd();
        if (header != VaultFormat.Header)
        {
            problem = header.StartsWith(VaultFormat.Prefix, StringComparison.Ordinal)
                ? $"unsupported vault header '{Shorten(header)}' (this StateForge reads '{VaultFormat.Header}')"
                : $"the first line must be '{VaultFormat.Header}'";
            return null;
        }

        var body = new StringBuilder(text.Length);
        foreach (var c in newline < 0 ? "" : text.AsSpan(newline + 1))
        {
            if (!char.IsWhiteSpace(c))
            {
                body.Append(c);
            }
        }

        var bytes = new byte[(body.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(body.ToString(), bytes, out var length))
        {
            problem = "the lines after the header are not base64";
            return null;
        }

        if (length < Overhead)
        {
            problem = $"it holds {length} bytes, fewer than the {Overhead} of salt, nonce and tag";
            return null;
        }

        problem = null;
        var data = bytes.AsSpan(0, length);
        var nonceAt = VaultFormat.SaltSize;
        var cipherAt = nonceAt + VaultFormat.NonceSize;
        var tagAt = length - VaultFormat.TagSize;
        return new VaultEnvelope(data[..nonceAt].ToArray(), data[nonceAt..cipherAt].ToArray(), data[cipherAt..tagAt].ToArray(), data[tagAt..].ToArray());
    }

    /// <summary>The header, then base64 wrapped at <see cref="VaultFormat.LineWidth"/>, ending with a newline.</summary>
    public string ToText()
    {
        var encoded = Convert.ToBase64String([.. Salt, .. Nonce, .. Ciphertext, .. Tag]);
        var text = new StringBuilder(VaultFormat.Header.Length + encoded.Length + (encoded.Length / VaultFormat.LineWidth) + 2);
        text.Append(VaultFormat.Header).Append('\n');
        for (var i = 0; i < encoded.Length; i += VaultFormat.LineWidth)
        {
            text.Append(encoded, i, Math.Min(VaultFormat.LineWidth, encoded.Length - i)).Append('\n');
        }

        return text.ToString();
    }

    // A tampered header is attacker-chosen text: show a bounded piece of it.
    private static string Shorten(string header) => header.Length <= 60 ? header : header[..60] + "…";
}
