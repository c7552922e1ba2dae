using System.Text;

namespace StateForge.Transport;

/// <summary>Python's shlex.split (POSIX mode): how Ansible turns a command line into arguments.</summary>
public static class Shlex
{
    public static List<string> Split(string text) =>
        TrySplit(text, out var words, out var error) ? words : throw new FormatException(error);

    public static bool TrySplit(string text, out List<string> words, out string? error)
    {
        words = [];
        error = null;
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = null;
                }
                else if (c == '\\' && i + 1 < text.Length)
                {
                    // Inside double quotes a backslash escapes only " and itself.
                    var next = text[++i];
                    if (next is not ('"' or '\\'))
                    {
                        word.Append('\\');
                    }

                    word.Append(next);
                }
                else if (c == '\\')
                {
                    error = "No escaped character";
                    return false;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    error = "No escaped character";
                    return false;
                }

                word.Append(text[++i]);
                inWord = true;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            error = "No closing quotation";
            return false;
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return true;
    }
}
