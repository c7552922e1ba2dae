using System.Text;

namespace StateForge.Parsing;

/// <summary>
/// Ansible's inline argument form: `path=/etc/x state=directory`, with quotes. Tokens that are not
/// key=value pairs are kept in order with their original text (the free-form part of `command`).
/// </summary>
public static class KeyValueArgs
{
    public sealed record Token(string Text, string? Key, string? Value);

    public static IReadOnlyList<Token> Split(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            var start = i;
            var value = new StringBuilder();
            char? quote = null;
            while (i < text.Length && (quote is not null || !char.IsWhiteSpace(text[i])))
            {
                var c = text[i];
                if (quote is null && c is '\'' or '"')
                {
                    quote = c;
                }
                else if (quote == c)
                {
                    quote = null;
                }
                else if (c == '\\' && quote == '"' && i + 1 < text.Length)
                {
                    value.Append(text[++i]);
                }
                else
                {
                    value.Append(c);
                }

                i++;
            }

            var raw = text[start..i];
            var unquoted = value.ToString();
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            var isPair = eq > 0 && raw[..eq].All(ch => char.IsLetterOrDigit(ch) || ch == '_');
            tokens.Add(isPair
                ? new Token(raw, raw[..eq], unquoted[(unquoted.IndexOf('=', StringComparison.Ordinal) + 1)..])
                : new Token(raw, null, unquoted));
        }

        return tokens;
    }
}
