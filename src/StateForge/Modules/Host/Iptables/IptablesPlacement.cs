using System.Collections.Immutable;
using System.Globalization;

namespace StateForge.Modules.Host.Iptables;

/// <summary>Where a task wants its rule in a chain.</summary>
internal abstract record IptablesPosition
{
    /// <summary>At the end; refused after a final rule.</summary>
    public sealed record Append : IptablesPosition;

    /// <summary>First, unless already somewhere a packet reaches.</summary>
    public sealed record Top : IptablesPosition;

    /// <summary>Exactly at this 1-based number.</summary>
    public sealed record At(int Number) : IptablesPosition;

    /// <summary>Anywhere a packet reaches; when missing, just before the chain's final REJECT/DROP (a managed chain's jump).</summary>
    public sealed record BeforeFinal : IptablesPosition;
}

/// <summary>
/// An edit of one chain's rule list: which rules (0-based, in the list as it was) go, and where
/// (0-based, in the list after the deletions) the rule goes in. The same edit plans the runtime
/// chain and the chain's lines in the rules file.
/// </summary>
internal sealed record IptablesEdit(ImmutableArray<int> Deletes, int? InsertAt, string? Error = null, string? Warning = null)
{
    public static readonly IptablesEdit None = new([], null);

    public bool IsChange => Deletes.Length > 0 || InsertAt is not null;

    public static IptablesEdit Fail(string error) => new([], null, error);

    /// <summary>The list after the edit.</summary>
    public List<IptablesRule> Apply(IReadOnlyList<IptablesRule> rules, IptablesRule want)
    {
        var result = rules.Where((_, i) => !Deletes.Contains(i)).ToList();
        if (InsertAt is { } at)
        {
            result.Insert(at, want);
        }

        return result;
    }
}

internal static class IptablesPlacement
{
    /// <summary>The index of the first unconditional ACCEPT/DROP/REJECT, or -1: rules after it never match.</summary>
    public static int FinalIndex(IReadOnlyList<IptablesRule> rules)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].IsFinal)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Plans `want` present at `position` in a chain whose rules are `rules`; `where` names the chain for messages.</summary>
    public static IptablesEdit Present(IReadOnlyList<IptablesRule> rules, IptablesRule want, IptablesPosition position, string where)
    {
        var final = FinalIndex(rules);
        var hits = Enumerable.Range(0, rules.Count).Where(i => rules[i].Key == want.Key).ToImmutableArray();
        bool Alive(int i) => final < 0 || i <= final;
        string Number(int i) => (i + 1).ToString(CultureInfo.InvariantCulture);
        string FinalText() => $"the final rule {Number(final)} (-A {where.Split('/')[^1]} {rules[final].Text})";

        switch (position)
        {
            case IptablesPosition.Append:
                if (hits.Any(Alive))
                {
                    return IptablesEdit.None;
                }

                if (hits.Length > 0)
                {
                    return IptablesEdit.Fail(
                        $"{where}: the rule is at position {Number(hits[0])}, after {FinalText()}, so it never matches; " +
                        "use action: insert (optionally with rule_num) to move it before that rule");
                }

                return final >= 0
                    ? IptablesEdit.Fail(
                        $"{where}: appending the rule would put it after {FinalText()}, where it never matches; " +
                        "use action: insert (optionally with rule_num) to place it before that rule")
                    : new IptablesEdit([], rules.Count);

            case IptablesPosition.Top:
                return hits.Any(Alive) ? IptablesEdit.None : new IptablesEdit(hits, 0);

            case IptablesPosition.BeforeFinal:
                // Dead copies are after the final rule, so deleting them does not move it.
                return hits.Any(Alive) ? IptablesEdit.None : new IptablesEdit(hits, final >= 0 ? final : rules.Count - hits.Length);

            case IptablesPosition.At(var number):
                var index = number - 1;
                var dead = final >= 0 && index > final ? $"{where}: rule_num {number} is after {FinalText()}; the rule will never match" : null;
                if (hits.Contains(index))
                {
                    return IptablesEdit.None with { Warning = dead };
                }

                var remaining = rules.Count - hits.Length;
                if (index > remaining)
                {
                    return IptablesEdit.Fail(
                        $"{where}: rule_num {number} is beyond the end of the chain ({remaining} rule{(remaining == 1 ? "" : "s")} besides this one)");
                }

                return new IptablesEdit(hits, index, Warning: dead);

            default:
                throw new InvalidOperationException($"unknown position {position}");
        }
    }

    /// <summary>Plans every copy of `want` gone.</summary>
    public static IptablesEdit Absent(IReadOnlyList<IptablesRule> rules, IptablesRule want) =>
        new([.. Enumerable.Range(0, rules.Count).Where(i => rules[i].Key == want.Key)], null);
}
