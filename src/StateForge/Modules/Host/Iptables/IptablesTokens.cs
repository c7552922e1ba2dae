using System.Collections.Immutable;
using System.Text;

namespace StateForge.Modules.Host.Iptables;

/// <summary>One word of an iptables-save rule line; Quoted words are values even when they start with '-'.</summary>
internal readonly record struct IptablesToken(string Value, bool Quoted = false)
{
    public bool IsOption => !Quoted && Value.Length > 1 && Value[0] == '-';

    public bool IsBang => !Quoted && Value == "!";

    public override string ToString() => Value;
}

/// <summary>Words of iptables-save lines, split and quoted the way iptables-save and iptables-restore do.</summary>
internal static class IptablesTokens
{
    private const string NoQuoteChars = "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>
    /// Splits a line as iptables-restore does: whitespace separates words, double quotes group,
    /// and inside quotes a backslash takes the next character literally.
    /// </summary>
    public static ImmutableArray<IptablesToken> Split(string line)
    {
        var tokens = ImmutableArray.CreateBuilder<IptablesToken>();
        var current = new StringBuilder();
        var inWord = false;
        var quoted = false;
        var open = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (open)
            {
                if (c == '\\' && i + 1 < line.Length)
                {
                    current.Append(line[++i]);
                }
                else if (c == '"')
                {
                    open = false;
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            if (c == '"')
            {
                open = true;
                quoted = true;
                inWord = true;
                continue;
            }

            if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (inWord)
                {
                    tokens.Add(new IptablesToken(current.ToString(), quoted));
                    current.Clear();
                    inWord = false;
                    quoted = false;
                }

                continue;
            }

            current.Append(c);
            inWord = true;
        }

        if (inWord)
        {
            tokens.Add(new IptablesToken(current.ToString(), quoted));
        }

        return tokens.ToImmutable();
    }

    /// <summary>A string option's value as iptables-save prints it (xtables_save_string): bare when safe, else quoted.</summary>
    public static string SaveString(string value)
    {
        if (value.Length > 0 && value.All(c => NoQuoteChars.Contains(c, StringComparison.Ordinal)))
        {
            return value;
        }

        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\' or '\'')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('"').ToString();
    }

    /// <summary>Words joined into a save-format line, quoting the ones that were (or must be) quoted.</summary>
    public static string Join(IEnumerable<IptablesToken> tokens) =>
        string.Join(' ', tokens.Select(t => t.Quoted ? SaveString(t.Value) : t.Value));
}
