using System.Text;

namespace StateForge.Inventory.Ini;

/// <summary>Python string literals: '…', "…", triple quotes, r/b/u prefixes, adjacent ones joined.</summary>
internal sealed partial class PythonLiteralReader
{
    private static bool IsStringPrefix(string name) =>
        name.ToLowerInvariant() is "r" or "u" or "b" or "br" or "rb";

    private string ReadStrings()
    {
        // Adjacent literals concatenate, as in Python: 'a' "b" is "ab".
        var sb = new StringBuilder();
        do
        {
            sb.Append(ReadString());
            SkipSpace();
        }
        while (Peek() is '\'' or '"' || (char.IsLetter(Peek()) && StringPrefixAhead()));

        return sb.ToString();
    }

    private bool StringPrefixAhead()
    {
        var i = pos;
        while (i < text.Length && char.IsLetter(text[i]))
        {
            i++;
        }

        return i < text.Length && text[i] is '\'' or '"' && IsStringPrefix(text[pos..i]);
    }

    private string ReadString()
    {
        var prefixStart = pos;
        while (char.IsLetter(Peek()))
        {
            pos++;
        }

        var prefix = text[prefixStart..pos].ToLowerInvariant();
        if (prefix.Length > 0 && !IsStringPrefix(prefix))
        {
            throw new FormatException("not a literal string prefix");
        }

        var quote = text[pos];
        var triple = text.AsSpan(pos).StartsWith(new string(quote, 3));
        var delimiter = triple ? new string(quote, 3) : quote.ToString();
        pos += delimiter.Length;
        var start = pos;
        while (true)
        {
            if (pos >= text.Length || (!triple && text[pos] == '\n'))
            {
                throw new FormatException("unterminated string");
            }

            if (text[pos] == '\\')
            {
                pos += 2;
                continue;
            }

            if (text.AsSpan(pos).StartsWith(delimiter))
            {
                break;
            }

            pos++;
        }

        var body = text[start..pos];
        pos += delimiter.Length;
        return PythonLiteral.Unescape(body, raw: prefix.Contains('r', StringComparison.Ordinal), bytes: prefix.Contains('b', StringComparison.Ordinal));
    }
}
