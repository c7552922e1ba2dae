using System.Collections.Immutable;
using System.Text.RegularExpressions;
using StateForge.Diagnostics;
using StateForge.Secrets;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace StateForge.Parsing;

/// <summary>
/// Composes YAML into <see cref="YNode"/> trees with positions, from YamlDotNet's event parser.
/// Unlike a plain deserializer it reports duplicate keys, resolves aliases and merge keys, and
/// bounds nesting, all as diagnostics rather than exceptions.
/// </summary>
public static partial class YamlLoader
{
    public const int MaxDepth = 200;

    /// <summary>YamlDotNet errors whose End, not Start, marks the offending character (inside a long scalar).</summary>
    private static readonly string[] AtEnd = ["escape", "hexadecimal", "surrogates", "tab character"];

    /// <summary>How many values aliases may stand for in one document, against "billion laughs" documents.</summary>
    public const int MaxAliasExpansion = 1_000_000;

    /// <summary>Loads the first document of a file. Null when the file is empty or broken (see diagnostics).</summary>
    public static YNode? LoadFile(string path, DiagnosticBag diagnostics, SourceSpan? referencedFrom = null)
    {
        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var at = referencedFrom ?? new SourceSpan(path, 0, 0);
            diagnostics.Add(File.Exists(path) || Directory.Exists(path)
                ? DiagnosticCatalog.FileUnreadable(at, path, e.Message)
                : DiagnosticCatalog.FileNotFound(at, "file", path));
            return null;
        }

        // Vault files and !vault values are decrypted in memory before and after parsing.
        return SourceText.Decode(bytes, path, diagnostics) is { } text ? VaultFile.Load(path, text, diagnostics, Load) : null;
    }

    public static YNode? Load(string file, string text, DiagnosticBag diagnostics)
    {
        if (FindUnprintable(text) is { } bad)
        {
            diagnostics.Add(DiagnosticCatalog.YamlSyntax(new SourceSpan(file, bad.Line, bad.Column), $"the character U+{(int)bad.Char:X4} is not allowed in YAML (of the control characters only tab, line feed and carriage return are); is this a binary file?"));
            return null;
        }

        var tab = FindIndentingTab(text);
        if (tab is { } at)
        {
            diagnostics.Add(DiagnosticCatalog.YamlSyntax(new SourceSpan(file, at.Line, at.Column), "a tab character indents this line; YAML indents with spaces only"));
            return null;
        }

        var composer = new Composer(file, diagnostics);
        try
        {
            return composer.ComposeFirstDocument(new Parser(new StringReader(text)));
        }
        catch (NestingException e)
        {
            diagnostics.Add(DiagnosticCatalog.NestingTooDeep(e.At, MaxDepth));
            return null;
        }
        catch (AliasExpansionException e)
        {
            diagnostics.Add(DiagnosticCatalog.AliasExpansionTooLarge(e.At, MaxAliasExpansion));
            return null;
        }
        catch (YamlException e)
        {
            var message = e.InnerException is YamlException inner ? inner.Message : e.Message;

            // Start is where the token began; for a bad escape or a stray tab the culprit is at End.
            var culprit = AtEnd.Any(m => message.Contains(m, StringComparison.Ordinal)) ? e.End : e.Start;
            if (message.StartsWith("While parsing a flow ", StringComparison.Ordinal) && composer.OpenFlow.TryPeek(out var open) && open.Flow && open.Start.Line < culprit.Line)
            {
                // Usually found at the end of the file or on a later line: the bracket never closed is the mistake.
                var bracket = message.Contains("sequence", StringComparison.Ordinal) ? '[' : '{';
                diagnostics.Add(DiagnosticCatalog.YamlSyntax(new SourceSpan(file, (int)open.Start.Line, (int)open.Start.Column), $"this '{bracket}' is never closed ({Lowered(Tidy(message).TrimEnd('.'))} at line {culprit.Line}, column {culprit.Column})"));
                return null;
            }

            diagnostics.Add(DiagnosticCatalog.YamlSyntax(new SourceSpan(file, (int)culprit.Line, (int)culprit.Column), Tidy(message)));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner can fail this way on some malformed input, and checks some tokens
            // (a tag such as '!![web') only as it builds them; the last good position is the best we know.
            var last = composer.LastMark;
            if (e is InvalidOperationException && composer.OpenFlow.TryPeek(out var open) && open.Flow)
            {
                var bracket = open.Start.Index < text.Length ? text[(int)open.Start.Index] : '[';
                diagnostics.Add(DiagnosticCatalog.YamlSyntax(new SourceSpan(file, (int)open.Start.Line, (int)open.Start.Column), $"malformed YAML after this '{bracket}'; is it closed?"));
                return null;
            }

            var what = e is ArgumentException a ? $": {a.Message.Split(" (Parameter", 2)[0]}" : " (an unclosed bracket or quote?)";
            diagnostics.Add(DiagnosticCatalog.YamlSyntax(new SourceSpan(file, Math.Max(1, (int)last.Line), Math.Max(1, (int)last.Column)), $"malformed YAML after this point{what}"));
            return null;
        }
    }

    /// <summary>The first character YAML does not allow anywhere (PyYAML's NON_PRINTABLE, as Ansible reads files).</summary>
    private static (int Line, int Column, char Char)? FindUnprintable(string text)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                continue;
            }

            var allowed = c switch
            {
                '\t' or '\r' or '\u0085' => true,
                < ' ' or '\u007f' or (>= '\u0080' and < '\u00a0') or '\ufffe' or '\uffff' => false,
                _ when char.IsHighSurrogate(c) => i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]),
                _ => !char.IsLowSurrogate(c),
            };
            if (!allowed)
            {
                return (line, i - lineStart + 1, c);
            }

            if (char.IsHighSurrogate(c))
            {
                i++;
            }
        }

        return null;
    }

    /// <summary>
    /// The first tab used as indentation. Lines of a block scalar (after a line ending in | or >,
    /// indented deeper than that line) are text, where tabs are fine; the scalar ends at the first
    /// line that is not indented deeper.
    /// </summary>
    private static (int Line, int Column)? FindIndentingTab(string text)
    {
        var blockParentIndent = -1;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            var indent = line.Length - line.TrimStart(' ').Length;
            if (blockParentIndent >= 0 && (indent > blockParentIndent || line.AsSpan().IsWhiteSpace()))
            {
                continue;
            }

            blockParentIndent = -1;
            if (indent < line.Length && line[indent] == '\t')
            {
                return (lineNumber, indent + 1);
            }

            if (BlockScalarHeader().IsMatch(line))
            {
                blockParentIndent = indent;
            }
        }

        return null;
    }

    [GeneratedRegex(@"(?:^|[\s:-])[|>][-+0-9]*[ \t]*(?:#.*)?$")]
    private static partial Regex BlockScalarHeader();

    private static string Lowered(string sentence) => sentence.Length == 0 ? sentence : char.ToLowerInvariant(sentence[0]) + sentence[1..];

    private static string Tidy(string message)
    {
        // YamlDotNet prefixes messages with "(Line: n, Col: m, Idx: i) - (…): "; the span carries that already.
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return idx >= 0 && message.StartsWith('(') ? message[(idx + 3)..] : message;
    }

    private sealed class Composer(string file, DiagnosticBag diagnostics)
    {
        private readonly Dictionary<string, Anchored> anchors = new(StringComparer.Ordinal);

        // Every later stage walks aliased nodes once per alias (ToPlain copies them), so what counts
        // is the document as expanded: its size and depth with each alias replaced by its target.
        private long expanded;
        private long aliasExpanded;
        private int deepest;

        public Mark LastMark { get; private set; } = Mark.Empty;

        /// <summary>The collections being composed, innermost on top: after a syntax error, the ones never closed.</summary>
        public Stack<(bool Flow, Mark Start)> OpenFlow { get; } = new();

        public YNode? ComposeFirstDocument(IParser parser)
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = Compose(parser, 0);
            parser.Consume<DocumentEnd>();
            if (parser.Current is DocumentStart second)
            {
                // Ansible reads one document a file; a second one would be silently ignored.
                diagnostics.Add(DiagnosticCatalog.YamlSyntax(At(second.Start), "a second YAML document starts here; a file holds one document (remove the '---' or split the file)"));
            }

            return root;
        }

        private SourceSpan At(Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

        private YNode Compose(IParser parser, int depth)
        {
            var start = parser.Current;
            LastMark = start?.Start ?? LastMark;
            if (depth > MaxDepth)
            {
                throw new NestingException(At(start!.Start));
            }

            var (countBefore, outerDeepest) = (expanded, deepest);
            deepest = depth;
            var node = ComposeNode(parser, depth);
            if (start is NodeEvent { Anchor.IsEmpty: false } anchored)
            {
                anchors[anchored.Anchor.Value] = new Anchored(node, expanded - countBefore, deepest - depth);
            }

            deepest = Math.Max(outerDeepest, deepest);
            return node;
        }

        private YNode ComposeNode(IParser parser, int depth)
        {
            expanded++;
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    expanded += target.Weight;
                    aliasExpanded += target.Weight;
                    if (aliasExpanded > MaxAliasExpansion)
                    {
                        throw new AliasExpansionException(At(alias.Start));
                    }

                    if (depth + target.Height > MaxDepth)
                    {
                        throw new NestingException(At(alias.Start));
                    }

                    deepest = Math.Max(deepest, depth + target.Height);
                    return target.Node;
                }

                diagnostics.Add(DiagnosticCatalog.YamlSyntax(At(alias.Start), $"unknown alias '*{alias.Value.Value}'"));
                return new YScalar("", YScalarStyle.Plain, null, At(alias.Start));
            }

            if (parser.TryConsume<Scalar>(out var scalar))
            {
                var style = scalar.Style switch
                {
                    ScalarStyle.Plain => YScalarStyle.Plain,
                    ScalarStyle.Literal or ScalarStyle.Folded => YScalarStyle.Block,
                    _ => YScalarStyle.Quoted,
                };
                var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
                return new YScalar(scalar.Value, style, tag, At(scalar.Start));
            }

            if (parser.TryConsume<SequenceStart>(out var seqStart))
            {
                var items = ImmutableArray.CreateBuilder<YNode>();
                OpenFlow.Push((seqStart.Style == SequenceStyle.Flow, seqStart.Start));
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(Compose(parser, depth + 1));
                }

                OpenFlow.Pop();
                return new YSequence(items.ToImmutable(), At(seqStart.Start));
            }

            var mapStart = parser.Consume<MappingStart>();
            OpenFlow.Push((mapStart.Style == MappingStyle.Flow, mapStart.Start));
            var entries = ImmutableArray.CreateBuilder<YEntry>();
            var seen = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
            var merged = new List<YEntry>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = Compose(parser, depth + 1);
                var value = Compose(parser, depth + 1);
                if (keyNode is not YScalar key)
                {
                    diagnostics.Add(DiagnosticCatalog.WrongShape(keyNode.Span, "a mapping key", "a plain string"));
                    continue;
                }

                if (key.Value == "<<" && key.Style == YScalarStyle.Plain)
                {
                    merged.AddRange(MergeSources(value));
                    continue;
                }

                if (seen.TryGetValue(key.Value, out var first))
                {
                    diagnostics.Add(DiagnosticCatalog.DuplicateKey(key.Span, key.Value, first));
                    continue;
                }

                seen[key.Value] = key.Span;
                entries.Add(new YEntry(key, value));
            }

            OpenFlow.Pop();

            // Keys written in the mapping win over merged ones; the first merged source wins over later ones.
            foreach (var e in merged.Where(e => seen.TryAdd(e.Key.Value, e.Key.Span)))
            {
                entries.Add(e);
            }

            return new YMapping(entries.ToImmutable(), At(mapStart.Start));
        }

        private IEnumerable<YEntry> MergeSources(YNode value)
        {
            var sources = value is YSequence s ? s.Items : [value];
            foreach (var bad in sources.Where(n => n is not YMapping))
            {
                diagnostics.Add(DiagnosticCatalog.WrongShape(bad.Span, "the value of the merge key '<<'", "a mapping (usually an alias such as *defaults) or a list of them"));
            }

            return sources.OfType<YMapping>().SelectMany(m => m.Entries);
        }

        /// <summary>An anchored node with its size and depth as expanded (aliases inside it included).</summary>
        private sealed record Anchored(YNode Node, long Weight, int Height);
    }

    private sealed class NestingException(SourceSpan at) : YamlException(new Mark(), new Mark(), "nesting")
    {
        public SourceSpan At { get; } = at;
    }

    private sealed class AliasExpansionException(SourceSpan at) : YamlException(new Mark(), new Mark(), "aliases")
    {
        public SourceSpan At { get; } = at;
    }
}
