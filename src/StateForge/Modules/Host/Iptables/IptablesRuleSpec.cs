using System.Collections.Immutable;

namespace StateForge.Modules.Host.Iptables;

/// <summary>Builds a task's rule from its parameters, in the word order iptables-save prints.</summary>
internal static class IptablesRuleSpec
{
    /// <summary>Match names the other parameters already write (or that need them).</summary>
    private static readonly string[] Implied = ["state", "conntrack", "multiport", "comment"];

    /// <summary>True when any parameter describes a rule (as opposed to a chain or a policy).</summary>
    public static bool HasRule(IptablesParams p) =>
        p.Protocol is not null || p.Source is not null || p.Destination is not null || p.SourcePort is not null ||
        p.DestinationPort is not null || p.DestinationPorts is { Count: > 0 } || p.Match.Count > 0 || p.Ctstate is { Count: > 0 } ||
        p.InInterface is not null || p.OutInterface is not null || p.Jump is not null || p.RejectWith is not null ||
        p.Comment is not null || p.RuleNum is not null;

    public static IptablesRule Build(IptablesParams p)
    {
        var words = ImmutableArray.CreateBuilder<IptablesToken>();
        void Add(params string[] values) => words.AddRange(values.Select(v => new IptablesToken(v)));
        void Negatable(string option, string? value, Func<string, string> normalise)
        {
            if (value is null)
            {
                return;
            }

            var (negated, bare) = SplitBang(value);
            if (negated)
            {
                Add("!");
            }

            Add(option, normalise(bare));
        }

        Negatable("-s", p.Source, IptablesRule.NormaliseAddress);
        Negatable("-d", p.Destination, IptablesRule.NormaliseAddress);
        Negatable("-i", p.InInterface, v => v);
        Negatable("-o", p.OutInterface, v => v);
        var protocol = p.Protocol is null ? null : SplitBang(p.Protocol) is var (neg, bare) && IptablesRule.NormaliseProtocol(bare) is { } proto
            ? (neg ? "!" : "") + proto
            : null;
        Negatable("-p", protocol, v => v);

        if (p.Ctstate is { Count: > 0 } states)
        {
            var list = IptablesRule.NormaliseStates(string.Join(',', states));
            if (p.Match.Contains("state"))
            {
                Add("-m", "state", "--state", list);
            }
            else
            {
                Add("-m", "conntrack", "--ctstate", list);
            }
        }

        var bareProtocol = protocol?.TrimStart('!');
        if (p.SourcePort is not null || p.DestinationPort is not null)
        {
            Add("-m", bareProtocol ?? "tcp");
            if (p.SourcePort is not null)
            {
                Add("--sport", IptablesRule.NormalisePort(p.SourcePort));
            }

            if (p.DestinationPort is not null)
            {
                Add("--dport", IptablesRule.NormalisePort(p.DestinationPort));
            }
        }

        if (p.DestinationPorts is { Count: > 0 } ports)
        {
            Add("-m", "multiport", "--dports", string.Join(',', ports.Select(IptablesRule.NormalisePort)));
        }

        foreach (var m in p.Match.Where(m => !Implied.Contains(m) && m != bareProtocol))
        {
            Add("-m", m);
        }

        if (p.Comment is not null)
        {
            Add("-m", "comment", "--comment");
            words.Add(new IptablesToken(p.Comment, Quoted: true));
        }

        if (p.Jump is not null)
        {
            Add("-j", p.Jump);
            if (p.Jump == "REJECT")
            {
                // iptables-save prints REJECT's default too; the file gets the same words.
                Add("--reject-with", p.RejectWith ?? "icmp-port-unreachable");
            }
        }

        return IptablesRule.Parse(words.ToImmutable());
    }

    /// <summary>The jump from a built-in chain to a managed custom chain.</summary>
    public static IptablesRule JumpTo(string chain) => IptablesRule.Parse([new("-j"), new(chain)]);

    /// <summary>"! 10.0.0.0/8" → (true, "10.0.0.0/8"); nothing else is trimmed, so validation sees stray whitespace.</summary>
    public static (bool Negated, string Value) SplitBang(string value) =>
        value.StartsWith('!') ? (true, value[1..].TrimStart(' ')) : (false, value);
}
