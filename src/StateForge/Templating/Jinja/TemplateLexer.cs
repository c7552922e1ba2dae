using System.Text.RegularExpressions;

namespace StateForge.Templating.Jinja;

/// <summary>A lexed piece of a template: literal text, an output `{{ … }}` or a tag `{% … %}`.</summary>
internal abstract record Piece(int Offset);

internal sealed record TextPiece(string Text, int Offset) : Piece(Offset);

internal sealed record OutputPiece(List<Token> Tokens, int Offset) : Piece(Offset);

internal sealed record TagPiece(List<Token> Tokens, int Offset) : Piece(Offset)
{
    public string TagName => Tokens[0].Kind == TokenKind.Name ? Tokens[0].Text : "";
}

/// <summary>
/// Splits template text into pieces and applies Jinja's whitespace control: `{%-`/`-%}` (and the
/// same on `{{ }}` and `{# #}`) strip all whitespace on that side; trim_blocks drops the first
/// newline after a block or comment tag; lstrip_blocks strips blanks before a tag that starts a
/// line; `+` on a tag turns both off for that side. `{% raw %}` bodies are copied untouched.
/// </summary>
internal static partial class TemplateLexer
{
    public static List<Piece> Lex(string source, bool trimBlocks, bool lstripBlocks)
    {
        var pieces = new List<Piece>();
        var i = 0;
        var stripLeading = false;
        var trimNewline = false;
        while (i <= source.Length)
        {
            var start = FindTagStart(source, i);
            var text = source[i..(start < 0 ? source.Length : start)];
            if (stripLeading)
            {
                text = text.TrimStart();
            }
            else if (trimNewline)
            {
                text = TrimOneNewline(text);
            }

            stripLeading = trimNewline = false;
            if (start < 0)
            {
                AddText(pieces, text, i);
                break;
            }

            var kind = source[start + 1];
            var modifier = start + 2 < source.Length ? source[start + 2] : '\0';
            var isBlock = kind is '%' or '#';
            if (modifier == '-')
            {
                text = text.TrimEnd();
            }
            else if (lstripBlocks && isBlock && modifier != '+')
            {
                text = StripBlankLineTail(text, atTemplateStart: i == 0);
            }

            AddText(pieces, text, i);
            var bodyStart = start + 2 + (modifier is '-' or '+' ? 1 : 0);
            bool stripAfter, keepAfter;
            if (kind == '#')
            {
                var end = source.IndexOf("#}", bodyStart, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new JinjaSyntaxException("missing '#}' to close the comment", start);
                }

                stripAfter = end > bodyStart && source[end - 1] == '-';
                keepAfter = end > bodyStart && source[end - 1] == '+';
                i = end + 2;
            }
            else
            {
                var block = ExpressionLexer.Lex(source, bodyStart, kind == '{' ? "}}" : "%}", start);
                (stripAfter, keepAfter, i) = (block.StripAfter, block.KeepAfter, block.EndOffset);
                if (kind == '{')
                {
                    pieces.Add(new OutputPiece(block.Tokens, start));
                }
                else if (block.Tokens is [{ Kind: TokenKind.Name, Text: "raw" }, { Kind: TokenKind.End }])
                {
                    var trimBody = trimBlocks && !keepAfter;
                    i = LexRaw(source, i, start, pieces, stripAfter, trimBody, out stripAfter, out keepAfter);
                }
                else
                {
                    pieces.Add(new TagPiece(block.Tokens, start));
                }
            }

            stripLeading = stripAfter;
            trimNewline = trimBlocks && isBlock && !keepAfter;
        }

        return pieces;
    }

    private static int LexRaw(string source, int bodyStart, int tagStart, List<Piece> pieces, bool stripBody, bool trimBody, out bool stripAfter, out bool keepAfter)
    {
        var end = EndRaw().Match(source, bodyStart);
        if (!end.Success)
        {
            throw new JinjaSyntaxException("missing '{% endraw %}'", tagStart);
        }

        var body = source[bodyStart..end.Index];
        body = stripBody ? body.TrimStart() : trimBody ? TrimOneNewline(body) : body;

        if (end.Groups[1].Value == "-")
        {
            body = body.TrimEnd();
        }

        pieces.Add(new TextPiece(body, bodyStart));
        stripAfter = end.Groups[2].Value == "-";
        keepAfter = end.Groups[2].Value == "+";
        return end.Index + end.Length;
    }

    private static void AddText(List<Piece> pieces, string text, int offset)
    {
        if (text.Length > 0)
        {
            pieces.Add(new TextPiece(text, offset));
        }
    }

    private static int FindTagStart(string source, int from)
    {
        var i = from;
        while ((i = source.IndexOf('{', i)) >= 0 && i + 1 < source.Length)
        {
            if (source[i + 1] is '{' or '%' or '#')
            {
                return i;
            }

            i++;
        }

        return -1;
    }

    private static string TrimOneNewline(string text) =>
        text.StartsWith("\r\n", StringComparison.Ordinal) ? text[2..] : text.StartsWith('\n') ? text[1..] : text;

    private static string StripBlankLineTail(string text, bool atTemplateStart)
    {
        var nl = text.LastIndexOf('\n');
        var tail = text.AsSpan(nl + 1);
        if (!tail.ContainsAnyExcept(' ', '\t') && (nl >= 0 || atTemplateStart))
        {
            return text[..(nl + 1)];
        }

        return text;
    }

    [GeneratedRegex(@"\{%(-|\+)?\s*endraw\s*(-|\+)?%\}", RegexOptions.CultureInvariant)]
    private static partial Regex EndRaw();
}
