using System.Globalization;
using System.Text;

namespace StateForge.Templating.Jinja;

/// <summary>The tokens of one `{{ … }}` or `{% … %}` block, and how the block ended.</summary>
internal sealed record LexedBlock(List<Token> Tokens, int EndOffset, bool StripAfter, bool KeepAfter);

/// <summary>
/// Splits a Jinja expression into tokens. Like Jinja's lexer it only ends a block at `}}` / `%}`
/// when brackets are balanced, so `{{ {'a': {'b': 1}} }}` and `'}}'` inside strings work.
/// </summary>
internal static class ExpressionLexer
{
    private static readonly string[] TwoCharOperators = ["//", "**", "==", "!=", "<=", ">="];
    private const string OneCharOperators = "+-*/%~<>=()[]{},.:|";

    /// <summary>Lexes from <paramref name="start"/> up to <paramref name="closer"/>, or to the end of text when it is null.</summary>
    public static LexedBlock Lex(string source, int start, string? closer, int blockStart)
    {
        var tokens = new List<Token>();
        var depth = new Stack<(char Bracket, int Offset)>();
        var i = start;
        while (true)
        {
            while (i < source.Length && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            if (closer is not null && depth.Count == 0)
            {
                if (At(source, i, closer))
                {
                    return Done(tokens, i, i + closer.Length, strip: false, keep: false);
                }

                if (At(source, i, "-" + closer) || At(source, i, "+" + closer))
                {
                    return Done(tokens, i, i + 1 + closer.Length, strip: source[i] == '-', keep: source[i] == '+');
                }
            }
            else if (closer is not null && At(source, i, closer) && depth.Peek().Bracket != '{')
            {
                throw new JinjaSyntaxException($"unclosed '{depth.Peek().Bracket}'", depth.Peek().Offset);
            }

            if (i >= source.Length)
            {
                if (closer is not null)
                {
                    throw new JinjaSyntaxException($"missing '{closer}' to close the block", blockStart);
                }

                if (depth.Count > 0)
                {
                    throw new JinjaSyntaxException($"unclosed '{depth.Peek().Bracket}'", depth.Peek().Offset);
                }

                return Done(tokens, i, i, strip: false, keep: false);
            }

            var c = source[i];
            if (char.IsLetter(c) || c == '_')
            {
                var s = i;
                while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, source[s..i], s));
            }
            else if (char.IsAsciiDigit(c))
            {
                tokens.Add(LexNumber(source, ref i));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(LexString(source, ref i));
            }
            else
            {
                tokens.Add(LexOperator(source, ref i, depth));
            }
        }
    }

    private static LexedBlock Done(List<Token> tokens, int closerStart, int end, bool strip, bool keep)
    {
        tokens.Add(new Token(TokenKind.End, "", closerStart));
        return new LexedBlock(tokens, end, strip, keep);
    }

    private static bool At(string source, int i, string text) =>
        i + text.Length <= source.Length && string.CompareOrdinal(source, i, text, 0, text.Length) == 0;

    private static Token LexOperator(string source, ref int i, Stack<(char Bracket, int Offset)> depth)
    {
        var s = i;
        foreach (var op in TwoCharOperators)
        {
            if (At(source, i, op))
            {
                i += 2;
                return new Token(TokenKind.Operator, op, s);
            }
        }

        var c = source[i];
        if (!OneCharOperators.Contains(c, StringComparison.Ordinal))
        {
            throw new JinjaSyntaxException($"unexpected character '{c}'", i);
        }

        switch (c)
        {
            case '(' or '[' or '{':
                depth.Push((c, i));
                break;
            case ')' or ']' or '}':
                var open = c switch { ')' => '(', ']' => '[', _ => '{' };
                if (depth.Count == 0 || depth.Peek().Bracket != open)
                {
                    throw new JinjaSyntaxException($"unexpected '{c}'", i);
                }

                depth.Pop();
                break;
        }

        i++;
        return new Token(TokenKind.Operator, c.ToString(), s);
    }

    private static Token LexNumber(string source, ref int i)
    {
        var s = i;
        SkipDigits(source, ref i);
        var isFloat = false;
        if (i + 1 < source.Length && source[i] == '.' && char.IsAsciiDigit(source[i + 1]))
        {
            isFloat = true;
            i++;
            SkipDigits(source, ref i);
        }

        if (i < source.Length && source[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < source.Length && source[j] is '+' or '-')
            {
                j++;
            }

            if (j < source.Length && char.IsAsciiDigit(source[j]))
            {
                isFloat = true;
                i = j;
                SkipDigits(source, ref i);
            }
        }

        var text = source[s..i].Replace("_", "", StringComparison.Ordinal);
        if (isFloat)
        {
            return new Token(TokenKind.Float, text, s, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var l)
            ? new Token(TokenKind.Integer, text, s, l)
            : throw new JinjaSyntaxException($"integer {text} is too large", s);
    }

    private static void SkipDigits(string source, ref int i)
    {
        while (i < source.Length && (char.IsAsciiDigit(source[i]) || (source[i] == '_' && i + 1 < source.Length && char.IsAsciiDigit(source[i + 1]))))
        {
            i++;
        }
    }

    private static Token LexString(string source, ref int i)
    {
        var s = i;
        var quote = source[i++];
        var sb = new StringBuilder();
        while (true)
        {
            if (i >= source.Length)
            {
                throw new JinjaSyntaxException("unterminated string literal", s);
            }

            var c = source[i++];
            if (c == quote)
            {
                return new Token(TokenKind.String, source[s..i], s, sb.ToString());
            }

            if (c != '\\' || i >= source.Length)
            {
                sb.Append(c);
                continue;
            }

            var e = source[i++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '0': sb.Append('\0'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '\\' or '\'' or '"': sb.Append(e); break;
                case '\n': break;
                case 'x' when TryHex(source, i, 2, out var x):
                    sb.Append((char)x);
                    i += 2;
                    break;
                case 'u' when TryHex(source, i, 4, out var u):
                    sb.Append((char)u);
                    i += 4;
                    break;
                default:
                    // Python keeps unknown escapes as written (`'\d'` is a backslash and a d).
                    sb.Append('\\').Append(e);
                    break;
            }
        }
    }

    private static bool TryHex(string source, int i, int length, out int value)
    {
        value = 0;
        return i + length <= source.Length &&
               int.TryParse(source.AsSpan(i, length), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
    }
}
