using System.Text;

namespace StateForge.Inventory.Ini;

/// <summary>A word of an INI host line and the 1-based column where it starts.</summary>
internal readonly record struct ShellWord(string Text, int Column);

/// <summary>
/// Splits an INI host line as Ansible does, with Python's POSIX shlex and comments on: quotes
/// group words and disappear, a backslash escapes, and '#' outside quotes ends the line, even
/// in the middle of a word (so <c>pass=a#b</c> is <c>pass=a</c>, as in Ansible).
/// </summary>
internal static class ShellWords
{
    /// <summary>The words, or an error message and the column it points at.</summary>
    public static (IReadOnlyList<ShellWord> Words, string? Error, int ErrorColumn) Split(string line)
    {
        var words = new List<ShellWord>();
        var token = new StringBuilder();
        var inWord = false;
        var start = 0;
        char quote = '\0';
        var quoteStart = 0;

        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (quote == '"' && c == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                {
                    token.Append(line[++i]);
                }
                else
                {
                    token.Append(c);
                }

                continue;
            }

            if (c is ' ' or '\t' or '\r' or '\n')
            {
                Emit();
                continue;
            }

            if (c == '#')
            {
                break;
            }

            if (!inWord)
            {
                inWord = true;
                start = i;
            }

            if (c is '\'' or '"')
            {
                quote = c;
                quoteStart = i;
            }
            else if (c == '\\')
            {
                if (i + 1 >= line.Length)
                {
                    return (words, "the line ends with a backslash, which escapes nothing", i + 1);
                }

                token.Append(line[++i]);
            }
            else
            {
                token.Append(c);
            }
        }

        if (quote != '\0')
        {
            return (words, $"the quote {quote} opened here is never closed", quoteStart + 1);
        }

        Emit();
        return (words, null, 0);

        void Emit()
        {
            if (inWord)
            {
                words.Add(new ShellWord(token.ToString(), start + 1));
                token.Clear();
                inWord = false;
            }
        }
    }
}
