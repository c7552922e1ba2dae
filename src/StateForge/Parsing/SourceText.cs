using System.Text;
using StateForge.Diagnostics;

namespace StateForge.Parsing;

/// <summary>
/// Decodes source files as strict UTF-8 (a leading BOM is dropped), as Ansible reads them: an
/// invalid byte is an error at its line and column, never a silent U+FFFD in a value.
/// </summary>
public static class SourceText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text, or null when the bytes are not UTF-8 (the diagnostic says where).</summary>
    public static string? Decode(byte[] bytes, string file, DiagnosticBag diagnostics)
    {
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        try
        {
            return Strict.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var bad = start + Math.Max(0, e.Index);
            var lineStart = bytes.AsSpan(0, bad).LastIndexOf((byte)'\n') + 1;
            var line = bytes.AsSpan(0, bad).Count((byte)'\n') + 1;
            var column = Encoding.UTF8.GetCharCount(bytes, Math.Max(lineStart, start), bad - Math.Max(lineStart, start)) + 1;
            diagnostics.Add(DiagnosticCatalog.NotUtf8(new SourceSpan(file, line, column), bytes[bad]));
            return null;
        }
    }
}
