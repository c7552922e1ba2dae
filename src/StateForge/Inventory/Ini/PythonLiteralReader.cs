using System.Globalization;

namespace StateForge.Inventory.Ini;

/// <summary>
/// A recursive-descent reader for the part of Python's expression grammar that
/// <c>ast.literal_eval</c> accepts. Anything else throws <see cref="FormatException"/>, which the
/// caller turns into "keep the text".
/// </summary>
internal sealed partial class PythonLiteralReader(string text)
{
    private int pos;

    public object? ReadTop()
    {
        var first = ReadExpression();
        SkipSpace();
        if (Peek() != ',')
        {
            ExpectEnd();
            return first;
        }

        // "1, 2" is a tuple in Python's eval mode: Ansible turns it into a list.
        var items = new List<object?> { first };
        while (TryConsume(','))
        {
            SkipSpace();
            if (pos >= text.Length)
            {
                break;
            }

            items.Add(ReadExpression());
            SkipSpace();
        }

        ExpectEnd();
        return items;
    }

    private void ExpectEnd()
    {
        SkipSpace();
        if (pos < text.Length)
        {
            throw new FormatException($"unexpected '{text[pos]}'");
        }
    }

    private object? ReadExpression()
    {
        SkipSpace();
        var c = Peek();
        if (c is '+' or '-')
        {
            pos++;
            SkipSpace();
            var operand = ReadNumber();
            var signed = Negate(operand, c == '-');
            return ReadComplexTail(signed);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(PeekAt(1))))
        {
            return ReadComplexTail(ReadNumber());
        }

        return ReadAtom();
    }

    /// <summary>literal_eval accepts "real ± imaginary" and nothing else with operators.</summary>
    private object? ReadComplexTail(object? left)
    {
        SkipSpace();
        var c = Peek();
        if (c is not ('+' or '-') || left is not (long or double))
        {
            return left is Imaginary im ? PythonLiteral.ComplexText(0, im.Value, hasReal: false) : left;
        }

        pos++;
        SkipSpace();
        if (ReadNumber() is not Imaginary right)
        {
            throw new FormatException("only complex numbers may be added");
        }

        var real = Convert.ToDouble(left, CultureInfo.InvariantCulture);
        return PythonLiteral.ComplexText(real, c == '-' ? -right.Value : right.Value, hasReal: true);
    }

    private static object Negate(object? number, bool negative) => (number, negative) switch
    {
        (_, false) => number!,
        (long l, true) => -l,
        (double d, true) => -d,
        (Imaginary i, true) => new Imaginary(-i.Value),
        _ => throw new FormatException("bad operand"),
    };

    private object? ReadAtom()
    {
        var c = Peek();
        switch (c)
        {
            case '[':
                pos++;
                return ReadSequence(']');
            case '(':
                pos++;
                return ReadParenthesised();
            case '{':
                pos++;
                return ReadBraces();
            case '.' when text.AsSpan(pos).StartsWith("..."):
                pos += 3;
                return "...";
            case '\'' or '"':
                return ReadStrings();
        }

        if (char.IsLetter(c) || c == '_')
        {
            var start = pos;
            while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] == '_'))
            {
                pos++;
            }

            var name = text[start..pos];
            if (Peek() is '\'' or '"' && IsStringPrefix(name))
            {
                pos = start;
                return ReadStrings();
            }

            return name switch
            {
                "True" => true,
                "False" => false,
                "None" => null,
                "set" when TryEmptyCall() => new List<object?>(),
                _ => throw new FormatException($"'{name}' is not a literal"),
            };
        }

        throw new FormatException(pos >= text.Length ? "unexpected end" : $"unexpected '{c}'");
    }

    private bool TryEmptyCall()
    {
        SkipSpace();
        if (!TryConsume('('))
        {
            return false;
        }

        SkipSpace();
        return TryConsume(')');
    }

    private List<object?> ReadSequence(char close)
    {
        var items = new List<object?>();
        while (true)
        {
            SkipSpace();
            if (TryConsume(close))
            {
                return items;
            }

            items.Add(ReadExpression());
            SkipSpace();
            if (!TryConsume(','))
            {
                SkipSpace();
                Expect(close);
                return items;
            }
        }
    }

    private object? ReadParenthesised()
    {
        SkipSpace();
        if (TryConsume(')'))
        {
            return new List<object?>();
        }

        var first = ReadExpression();
        SkipSpace();
        if (TryConsume(')'))
        {
            return first;
        }

        Expect(',');
        var rest = ReadSequence(')');
        rest.Insert(0, first);
        return rest;
    }

    private object ReadBraces()
    {
        SkipSpace();
        if (TryConsume('}'))
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        var first = ReadExpression();
        SkipSpace();
        if (!TryConsume(':'))
        {
            // A set: Ansible turns it into a list; keep the written order, without repeats.
            var set = new List<object?> { first };
            if (TryConsume(','))
            {
                set.AddRange(ReadSequence('}'));
            }
            else
            {
                Expect('}');
            }

            return set.Distinct().ToList();
        }

        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        var key = first;
        while (true)
        {
            var value = ReadExpression();
            dict[KeyText(key)] = value;
            SkipSpace();
            if (!TryConsume(','))
            {
                Expect('}');
                return dict;
            }

            SkipSpace();
            if (TryConsume('}'))
            {
                return dict;
            }

            key = ReadExpression();
            SkipSpace();
            Expect(':');
        }
    }

    private static string KeyText(object? key) => key switch
    {
        string s => s,
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => PythonFloat.Repr(d),
        _ => throw new FormatException("unhashable key"),
    };

    private object ReadNumber()
    {
        var number = PythonNumber.Read(text, ref pos);
        if (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] == '_'))
        {
            throw new FormatException("invalid decimal literal");
        }

        return number;
    }

    private void SkipSpace()
    {
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c is ' ' or '\t' or '\f' or '\r' or '\n')
            {
                pos++;
            }
            else if (c == '\\' && PeekAt(1) == '\n')
            {
                pos += 2;
            }
            else if (c == '#')
            {
                var eol = text.IndexOf('\n', pos);
                pos = eol < 0 ? text.Length : eol;
            }
            else
            {
                return;
            }
        }
    }

    private char Peek() => pos < text.Length ? text[pos] : '\0';

    private char PeekAt(int offset) => pos + offset < text.Length ? text[pos + offset] : '\0';

    private bool TryConsume(char c)
    {
        if (Peek() != c)
        {
            return false;
        }

        pos++;
        return true;
    }

    private void Expect(char c)
    {
        if (!TryConsume(c))
        {
            throw new FormatException($"expected '{c}'");
        }
    }
}

/// <summary>An imaginary number literal such as 2j, only ever part of a complex value.</summary>
internal sealed record Imaginary(double Value);
