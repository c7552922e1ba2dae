using System.Globalization;

namespace StateForge.Inventory.Ini;

/// <summary>Python 3 numeric literals: 42, 1_000, 0x1f, 0o17, 0b101, 1.5, .5, 1e3, 2j.</summary>
internal static class PythonNumber
{
    /// <summary>Reads a number at <paramref name="pos"/>: a long, a double or an <see cref="Imaginary"/>.</summary>
    public static object Read(string text, ref int pos)
    {
        if (pos + 1 < text.Length && text[pos] == '0' && char.ToLowerInvariant(text[pos + 1]) is 'x' or 'o' or 'b')
        {
            return ReadPrefixed(text, ref pos);
        }

        var start = pos;
        var isFloat = false;
        var integerDigits = ReadDigitPart(text, ref pos, char.IsAsciiDigit, afterPrefix: false);
        if (pos < text.Length && text[pos] == '.')
        {
            isFloat = true;
            pos++;
            if (pos < text.Length && char.IsAsciiDigit(text[pos]))
            {
                ReadDigitPart(text, ref pos, char.IsAsciiDigit, afterPrefix: false);
            }
            else if (integerDigits.Length == 0)
            {
                throw new FormatException("a lone '.'");
            }
        }

        if (pos < text.Length && text[pos] is 'e' or 'E')
        {
            var save = pos;
            pos++;
            if (pos < text.Length && text[pos] is '+' or '-')
            {
                pos++;
            }

            if (pos < text.Length && char.IsAsciiDigit(text[pos]))
            {
                isFloat = true;
                ReadDigitPart(text, ref pos, char.IsAsciiDigit, afterPrefix: false);
            }
            else
            {
                pos = save;
            }
        }

        var literal = text[start..pos].Replace("_", "", StringComparison.Ordinal);
        if (pos < text.Length && text[pos] is 'j' or 'J')
        {
            pos++;
            return new Imaginary(ParseDouble(literal));
        }

        if (isFloat)
        {
            return ParseDouble(literal);
        }

        if (literal.Length > 1 && literal[0] == '0' && literal.Any(c => c != '0'))
        {
            throw new FormatException("leading zeros in decimal integer literals are not permitted");
        }

        return long.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException("integer too large");
    }

    private static object ReadPrefixed(string text, ref int pos)
    {
        var kind = char.ToLowerInvariant(text[pos + 1]);
        pos += 2;
        Func<char, bool> isDigit = kind switch
        {
            'x' => char.IsAsciiHexDigit,
            'o' => c => c is >= '0' and <= '7',
            _ => c => c is '0' or '1',
        };
        var digits = ReadDigitPart(text, ref pos, isDigit, afterPrefix: true);
        if (digits.Length == 0)
        {
            throw new FormatException("digits expected");
        }

        var radix = kind switch { 'x' => 16, 'o' => 8, _ => 2 };
        try
        {
            var value = Convert.ToUInt64(digits, radix);
            return value <= long.MaxValue ? (long)value : throw new FormatException("integer too large");
        }
        catch (OverflowException)
        {
            throw new FormatException("integer too large");
        }
    }

    /// <summary>Digits with single underscores between them (and, after 0x/0o/0b, before the first).</summary>
    private static string ReadDigitPart(string text, ref int pos, Func<char, bool> isDigit, bool afterPrefix)
    {
        var digits = new System.Text.StringBuilder();
        var allowUnderscore = afterPrefix;
        while (pos < text.Length)
        {
            var c = text[pos];
            if (isDigit(c))
            {
                digits.Append(c);
                allowUnderscore = true;
                pos++;
            }
            else if (c == '_' && allowUnderscore && pos + 1 < text.Length && isDigit(text[pos + 1]))
            {
                allowUnderscore = false;
                pos++;
            }
            else
            {
                break;
            }
        }

        return digits.ToString();
    }

    private static double ParseDouble(string literal) =>
        double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
}
