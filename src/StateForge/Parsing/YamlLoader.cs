using System.Collections.Immutable;
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
public static class YamlLoader
{
    public const int MaxDepth = 200;

    /// <summary>Loads the first document of a file. Null when the file is empty or broken (see diagnostics).</summary>
    public static YNode? LoadFile(string path, DiagnosticBag diagnostics, SourceSpan? referencedFrom = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.FileNotFound(referencedFrom ?? new SourceSpan(path, 0, 0), "file", path));
            return null;
        }

        // Vault files and !vault values are decrypted in memory before and after parsing.
        return VaultFile.Load(path, text, diagnostics, Load);
    }

    public static YNode? Load(string file, string text, DiagnosticBag diagnostics)
    {
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
        catch (YamlException e)
        {
            var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
            diagnostics.Add(DiagnosticCatalog.YamlSyntax(new SourceSpan(file, (int)e.Start.Line, (int)e.Start.Column), Tidy(message)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner can fail this way on some malformed input; the last good position is the best we know.
            var last = composer.LastMark;
            diagnostics.Add(DiagnosticCatalog.YamlSyntax(new SourceSpan(file, Math.Max(1, (int)last.Line), Math.Max(1, (int)last.Column)), "malformed YAML after this point (an unclosed bracket or quote?)"));
            return null;
        }
    }

    private static (int Line, int Column)? FindIndentingTab(string text)
    {
        var line = 1;
        var atLineStart = true;
        var inBlockScalar = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                atLineStart = true;
                continue;
            }

            if (atLineStart && c == '\t' && !inBlockScalar)
            {
                var column = i - (text.LastIndexOf('\n', Math.Max(0, i - 1)) + 1) + 1;
                return (line, column);
            }

            if (c != ' ')
            {
                atLineStart = false;
            }

            // Tabs inside block scalars are content, not indentation; a cheap approximation
            // that is right for playbooks: once a line ends with | or >, stop checking.
            if ((c == '|' || c == '>') && (i + 1 == text.Length || text[i + 1] is '\n' or '-' or '+' or '\r'))
            {
                inBlockScalar = true;
            }
        }

        return null;
    }

    private static string Tidy(string message)
    {
        // YamlDotNet prefixes messages with "(Line: n, Col: m, Idx: i) - (…): "; the span carries that already.
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return idx >= 0 && message.StartsWith('(') ? message[(idx + 3)..] : message;
    }

    private sealed class Composer(string file, DiagnosticBag diagnostics)
    {
        private readonly Dictionary<string, YNode> anchors = new(StringComparer.Ordinal);

        public Mark LastMark { get; private set; } = Mark.Empty;

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
            return root;
        }

        private SourceSpan At(Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

        private YNode Compose(IParser parser, int depth)
        {
            LastMark = parser.Current?.Start ?? LastMark;
            if (depth > MaxDepth)
            {
                throw new NestingException(At(parser.Current!.Start));
            }

            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
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
                return Remember(scalar.Anchor, new YScalar(scalar.Value, style, tag, At(scalar.Start)));
            }

            if (parser.TryConsume<SequenceStart>(out var seqStart))
            {
                var items = ImmutableArray.CreateBuilder<YNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(Compose(parser, depth + 1));
                }

                return Remember(seqStart.Anchor, new YSequence(items.ToImmutable(), At(seqStart.Start)));
            }

            var mapStart = parser.Consume<MappingStart>();
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

            // Keys written in the mapping win over merged ones; the first merged source wins over later ones.
            foreach (var e in merged.Where(e => seen.TryAdd(e.Key.Value, e.Key.Span)))
            {
                entries.Add(e);
            }

            return Remember(mapStart.Anchor, new YMapping(entries.ToImmutable(), At(mapStart.Start)));
        }

        private static IEnumerable<YEntry> MergeSources(YNode value) => value switch
        {
            YMapping m => m.Entries,
            YSequence s => s.Items.OfType<YMapping>().SelectMany(m => m.Entries),
            _ => [],
        };

        private YNode Remember(AnchorName anchor, YNode node)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = node;
            }

            return node;
        }
    }

    private sealed class NestingException(SourceSpan at) : YamlException(new Mark(), new Mark(), "nesting")
    {
        public SourceSpan At { get; } = at;
    }
}
