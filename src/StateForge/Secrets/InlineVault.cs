using System.Collections.Immutable;
using StateForge.Diagnostics;
using StateForge.Parsing;

namespace StateForge.Secrets;

/// <summary>
/// Ansible-style inline secrets: a scalar tagged `!vault` whose text is a StateForge vault
/// (`stateforge vault encrypt-string` writes them) becomes its plaintext, a string. Trees without
/// one are returned as they are.
/// </summary>
internal static class InlineVault
{
    public const string Tag = "!vault";

    public static YNode Reveal(YNode root, string file, VaultKeyring keyring, DiagnosticBag diagnostics)
    {
        // Aliases share nodes: decrypt each tagged scalar once.
        var done = new Dictionary<YNode, YNode>(ReferenceEqualityComparer.Instance);
        return Walk(root);

        YNode Walk(YNode node)
        {
            if (done.TryGetValue(node, out var known))
            {
                return known;
            }

            var result = node switch
            {
                YScalar { Tag: Tag } s => Decrypt(s),
                YSequence seq => WalkSequence(seq),
                YMapping map => WalkMapping(map),
                _ => node,
            };
            done[node] = result;
            return result;
        }

        YNode WalkSequence(YSequence seq)
        {
            var items = seq.Items.Select(Walk).ToImmutableArray();
            return items.AsSpan().SequenceEqual(seq.Items.AsSpan(), ReferenceEqualityComparer.Instance) ? seq : seq with { Items = items };
        }

        YNode WalkMapping(YMapping map)
        {
            var entries = map.Entries.Select(e => Walk(e.Value) is var v && ReferenceEquals(v, e.Value) ? e : e with { Value = v }).ToImmutableArray();
            return entries.AsSpan().SequenceEqual(map.Entries.AsSpan(), ReferenceEqualityComparer.Instance) ? map : map with { Entries = entries };
        }

        YNode Decrypt(YScalar s)
        {
            if (!VaultFormat.IsEncrypted(s.Value))
            {
                diagnostics.Add(DiagnosticCatalog.VaultMalformed(s.Span, $"{file} (the !vault value)", $"the first line must be '{VaultFormat.Header}'"));
                return s with { Tag = null, Value = "" };
            }

            // A quoted scalar stays a string: a secret "0123" must not become the number 123.
            var plain = keyring.DecryptText($"{file} (the !vault value at line {s.Span.Line})", s.Value, diagnostics, s.Span);
            return new YScalar(plain ?? "", YScalarStyle.Quoted, null, s.Span);
        }
    }
}
