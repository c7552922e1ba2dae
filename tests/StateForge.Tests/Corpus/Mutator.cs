using System.Text;

namespace StateForge.Tests.Corpus;

/// <summary>Random, reproducible edits of a text file: lines moved and broken, characters flipped, values swapped for hostile ones.</summary>
internal sealed class Mutator(Random random)
{
    private static readonly string[] Names =
        ["delete-line", "duplicate-line", "swap-lines", "reindent", "flip-char", "insert-token", "truncate", "splice",
         "replace-value", "replace-key", "insert-line", "huge-value", "deep-value", "crlf", "alias-bomb"];

    public static IReadOnlyList<string> Kinds => Names;

    /// <summary>The text after 1–4 mutations; <paramref name="applied"/> names them, for the report.</summary>
    public string Mutate(string text, IReadOnlyList<string> others, List<string> applied)
    {
        var count = 1 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var kind = Names[random.Next(Names.Length)];
            applied.Add(kind);
            text = Apply(kind, text, others);
        }

        return text;
    }

    private string Apply(string kind, string text, IReadOnlyList<string> others)
    {
        var lines = text.Split('\n').ToList();
        var line = random.Next(lines.Count);
        switch (kind)
        {
            case "delete-line":
                lines.RemoveAt(line);
                break;
            case "duplicate-line":
                lines.Insert(line, lines[line]);
                break;
            case "swap-lines":
                var other = random.Next(lines.Count);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                break;
            case "reindent":
                var trimmed = lines[line].TrimStart(' ');
                lines[line] = new string(' ', Math.Max(0, lines[line].Length - trimmed.Length + random.Next(-3, 4))) + trimmed;
                break;
            case "flip-char":
                return text.Length == 0 ? text : ReplaceAt(text, random.Next(text.Length), 1, Pick(FuzzVocabulary.Punctuation)[..1]);
            case "insert-token":
                return ReplaceAt(text, random.Next(text.Length + 1), 0, Pick(FuzzVocabulary.Punctuation));
            case "truncate":
                return text[..random.Next(text.Length + 1)];
            case "splice":
                var donor = others[random.Next(others.Count)];
                return text[..random.Next(text.Length + 1)] + donor[random.Next(donor.Length + 1)..];
            case "replace-value":
                lines[line] = ReplaceValue(lines[line], Pick(FuzzVocabulary.Scalars));
                break;
            case "replace-key":
                lines[line] = ReplaceKey(lines[line], Pick(FuzzVocabulary.Keys));
                break;
            case "insert-line":
                var source = others[random.Next(others.Count)].Split('\n');
                lines.Insert(line, new string(' ', random.Next(0, 9)) + source[random.Next(source.Length)].TrimStart());
                break;
            case "huge-value":
                lines[line] = ReplaceValue(lines[line], new string((char)('a' + random.Next(26)), random.Next(10_000, 300_000)));
                break;
            case "deep-value":
                var depth = random.Next(50, 5_000);
                lines[line] = ReplaceValue(lines[line], random.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{a: ", depth)) + "b" + new string('}', depth));
                break;
            case "crlf":
                return text.Replace("\n", "\r\n", StringComparison.Ordinal);
            case "alias-bomb":
                lines.Insert(line, "x0: &b0 [a, a, a, a, a, a, a, a]");
                for (var i = 1; i < 8; i++)
                {
                    lines.Insert(line + i, $"x{i}: &b{i} [{string.Join(", ", Enumerable.Repeat($"*b{i - 1}", 8))}]");
                }

                break;
        }

        return string.Join('\n', lines);
    }

    private string Pick(string[] from) => from[random.Next(from.Length)];

    private static string ReplaceAt(string text, int at, int length, string with) =>
        new StringBuilder(text.Length + with.Length).Append(text, 0, at).Append(with).Append(text, at + length, text.Length - at - length).ToString();

    /// <summary>Swaps what follows the first ': ' or '- ' on the line, or the whole line when it has neither.</summary>
    private static string ReplaceValue(string line, string value)
    {
        var at = line.IndexOf(": ", StringComparison.Ordinal);
        if (at < 0)
        {
            at = line.IndexOf("- ", StringComparison.Ordinal);
        }

        return at < 0 ? value : line[..(at + 2)] + value;
    }

    private static string ReplaceKey(string line, string key)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var indent = line.Length - line.TrimStart(' ', '-').Length;
        return colon > indent ? line[..indent] + key + line[colon..] : line[..indent] + key + ": x";
    }
}
