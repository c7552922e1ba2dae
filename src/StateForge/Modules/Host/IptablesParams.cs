namespace StateForge.Modules.Host;

public enum IptablesTableName
{
    Filter,
    Nat,
    Mangle,
    Raw,
    Security,
}

public enum IptablesAction
{
    Append,
    Insert,
}

public enum IptablesState
{
    Present,
    Absent,
}

public sealed record IptablesParams
{
    [Param("The table the rule, chain or policy is in.")]
    public IptablesTableName Table { get; init; } = IptablesTableName.Filter;

    [Param("The chain: a built-in one (INPUT, FORWARD, OUTPUT, PREROUTING, POSTROUTING) or a custom one such as OS_FIREWALL_ALLOW.", Required = true)]
    public string Chain { get; init; } = "";

    [Param("Protocol of the rule (tcp, udp, icmp, sctp, all or a number); a leading '!' negates it. Required with ports.")]
    public string? Protocol { get; init; }

    [Param("Source address or network (10.0.0.1, 10.0.0.0/8, 10.0.0.0/255.0.0.0); a leading '!' negates it. Host names are not accepted.")]
    public string? Source { get; init; }

    [Param("Destination address or network, as source.")]
    public string? Destination { get; init; }

    [Param("Source port or port range (1024:65535) of a tcp/udp/sctp rule.")]
    public string? SourcePort { get; init; }

    [Param("Destination port or port range (8000:8010) of a tcp/udp/sctp rule (`-m tcp --dport`).")]
    public string? DestinationPort { get; init; }

    [Param("Several destination ports or ranges in one rule (`-m multiport --dports 111,2049`).")]
    public IReadOnlyList<string>? DestinationPorts { get; init; }

    [Param("Match modules to load (`-m NAME`). Only 'state' changes meaning: with ctstate it writes `-m state --state` instead of " +
           "`-m conntrack --ctstate` (both compare equal). tcp, udp, multiport, conntrack and comment are implied by the other parameters.")]
    public IReadOnlyList<string> Match { get; init; } = [];

    [Param("Connection states to match: INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED (SNAT, DNAT with conntrack).")]
    public IReadOnlyList<string>? Ctstate { get; init; }

    [Param("Interface a packet came in on (eth0, eth+); a leading '!' negates it.")]
    public string? InInterface { get; init; }

    [Param("Interface a packet goes out on; a leading '!' negates it.")]
    public string? OutInterface { get; init; }

    [Param("Target: ACCEPT, DROP, REJECT, RETURN, LOG or a chain name.")]
    public string? Jump { get; init; }

    [Param("With jump REJECT: the ICMP error (or tcp-reset) sent back.",
           Choices = ["icmp-net-unreachable", "icmp-host-unreachable", "icmp-port-unreachable", "icmp-proto-unreachable",
                      "icmp-net-prohibited", "icmp-host-prohibited", "icmp-admin-prohibited", "tcp-reset"])]
    public string? RejectWith { get; init; }

    [Param("A comment on the rule (`-m comment`); taken literally, at most 256 characters, one line.")]
    public string? Comment { get; init; }

    [Param("Where a missing rule goes. append: at the end of the chain, refused when the chain ends with an unconditional " +
           "REJECT/DROP/ACCEPT (the rule would never match). insert: at rule_num, else at the top. An existing rule " +
           "after such a final rule is position drift with insert, and refused with append.")]
    public IptablesAction Action { get; init; } = IptablesAction.Append;

    // A string, as in Ansible (and because the engine's integer binding is unreliable): digits only, checked by Validate.
    [Param("With action insert: the 1-based position the rule must have; a rule elsewhere in the chain is moved there.")]
    public string? RuleNum { get; init; }

    /// <summary>rule_num as a number; null when absent or not a positive integer (Validate reports it).</summary>
    internal int? RuleNumber =>
        RuleNum is { Length: > 0 and <= 6 } n && n.All(char.IsAsciiDigit) && int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) is var v && v > 0 ? v : null;

    [Param("Whether the rule (or with chain_management and no rule, the chain) should exist.")]
    public IptablesState State { get; init; } = IptablesState.Present;

    [Param("Create the custom chain if missing (and a jump to it from jump_from, placed before that chain's final REJECT/DROP); " +
           "with state absent and no rule parameters, remove the jump and the (empty) chain.")]
    public bool ChainManagement { get; init; }

    [Param("With chain_management: the chain that jumps to chain (default INPUT); null for no jump.")]
    public string? JumpFrom { get; init; } = "INPUT";

    [Param("Policy of a built-in chain; cannot be combined with rule parameters.", Choices = ["ACCEPT", "DROP", "QUEUE", "RETURN"])]
    public string? Policy { get; init; }

    [Param("Also keep the rules file (iptables-save format) in step: only this task's rules are edited in it, in place.")]
    public bool Persist { get; init; } = true;

    [Param("The rules file. Default: /etc/sysconfig/iptables on the RedHat family, /etc/iptables/rules.v4 on Debian " +
           "(from ansible_facts.os_family, else from which of the two exists, else whether /etc/sysconfig exists).")]
    public string? PersistFile { get; init; }

    [Param("Allow a change that would drop or reject the SSH connection StateForge is using (or new ones to the same port).")]
    public bool AllowLockout { get; init; }
}
