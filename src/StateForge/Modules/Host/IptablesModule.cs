using System.Text.RegularExpressions;
using StateForge.Facts;
using StateForge.Modules.Host.Iptables;
using StateForge.Planning;

namespace StateForge.Modules.Host;

[Module("iptables", "ansible.builtin.iptables",
    Description = "Manages one iptables rule, custom chain or chain policy, in the runtime table and in the saved rules file, each with its own drift.")]
[MutuallyExclusive("destination_port", "destination_ports")]
public sealed partial class IptablesModule : Module<IptablesParams>
{
    private static readonly string[] ConntrackStates = ["INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED", "SNAT", "DNAT"];
    private static readonly string[] PortProtocols = ["tcp", "udp", "sctp", "dccp", "udplite"];

    public override string Examples => """
        - name: OpenShift's allow chain, jumped to from INPUT before its final REJECT
          iptables:
            chain: OS_FIREWALL_ALLOW
            chain_management: true

        - name: NFS ports at the top of OS_FIREWALL_ALLOW (runtime and /etc/sysconfig/iptables)
          iptables:
            chain: OS_FIREWALL_ALLOW
            action: insert
            protocol: tcp
            match: [state]
            ctstate: [NEW]
            destination_port: "{{ item }}"
            jump: ACCEPT
            comment: nfs
          loop: [111, 2049, 20048, 50825, 53248]

        - name: Web ports in one rule, from one network only
          iptables:
            chain: INPUT
            action: insert
            rule_num: 5
            protocol: tcp
            source: 10.0.0.0/8
            destination_ports: ["80", "443", "8000:8010"]
            ctstate: [NEW]
            jump: ACCEPT

        - name: No rule for the old port, anywhere in the chain
          iptables:
            chain: OS_FIREWALL_ALLOW
            protocol: tcp
            destination_port: "8443"
            jump: ACCEPT
            state: absent

        - name: Drop what nothing accepts (refused if that would cut StateForge's own SSH connection)
          iptables:
            chain: INPUT
            policy: DROP
        """;

    protected override IEnumerable<FactProbe> Probes(IptablesParams parameters) => IptablesPlanner.Probes(parameters);

    protected override ValueTask<TaskPlan> PlanAsync(IptablesParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        new IptablesPlanner(parameters, context).PlanAsync(cancellationToken);

    protected override IEnumerable<string> Validate(IptablesParams p)
    {
        var table = ParameterSchema.SnakeCase(p.Table.ToString());
        var errors = new List<string>();
        CheckChainName(errors, "chain", p.Chain);
        CheckChainName(errors, "jump", p.Jump);
        CheckChainName(errors, "jump_from", p.JumpFrom);
        CheckAddress(errors, "source", p.Source);
        CheckAddress(errors, "destination", p.Destination);
        CheckInterface(errors, "in_interface", p.InInterface);
        CheckInterface(errors, "out_interface", p.OutInterface);
        if (p.Protocol is not null && !Protocol().IsMatch(p.Protocol))
        {
            errors.Add($"protocol must be a protocol name or number (tcp, udp, icmp, 6), optionally after '!', not '{p.Protocol}'");
        }

        var ports = new[] { ("source_port", p.SourcePort), ("destination_port", p.DestinationPort) }
            .Concat((p.DestinationPorts ?? []).Select(port => ("destination_ports", (string?)port)))
            .Where(x => x.Item2 is not null)
            .ToList();
        foreach (var (name, port) in ports.Where(x => !IsPort(x.Item2!)))
        {
            errors.Add($"{name} must be a port (2049) or range (8000:8010), not '{port}'");
        }

        (bool Negated, string Value)? protocol = p.Protocol is null ? null : IptablesRuleSpec.SplitBang(p.Protocol);
        if (ports.Count > 0 && (protocol is not (false, var proto) || !PortProtocols.Contains(IptablesRule.NormaliseProtocol(proto))))
        {
            errors.Add($"ports need protocol {string.Join(", ", PortProtocols)} (not negated)");
        }

        if (p.DestinationPorts is { Count: > 15 })
        {
            errors.Add("destination_ports takes at most 15 ports (a range counts as two)");
        }

        foreach (var m in p.Match.Where(m => !MatchName().IsMatch(m)))
        {
            errors.Add($"match must name match modules (state, tcp, …), not '{m}'");
        }

        var allowed = p.Match.Contains("state") ? ConntrackStates[..5] : ConntrackStates;
        foreach (var s in (p.Ctstate ?? []).Where(s => !allowed.Contains(s.Trim().ToUpperInvariant())))
        {
            errors.Add($"ctstate must be among {string.Join(", ", allowed)}{(p.Match.Contains("state") ? " with match state" : "")}, not '{s}'");
        }

        if (p.Comment is { } comment && (comment.Length > 256 || comment.Any(char.IsControl)))
        {
            errors.Add("comment must be one line of at most 256 characters");
        }

        if (p.RejectWith is not null && p.Jump != "REJECT")
        {
            errors.Add("reject_with needs jump: REJECT");
        }

        if (p.RuleNum is { } n && (p.RuleNumber is null || p.Action != IptablesAction.Insert))
        {
            errors.Add(p.RuleNumber is null ? $"rule_num must be a number from 1, not '{n}'" : "rule_num needs action: insert");
        }

        if (p.PersistFile is { } file && (!file.StartsWith('/') || file.Any(char.IsControl)))
        {
            errors.Add("persist_file must be an absolute path");
        }

        errors.AddRange(Modes(p, table));
        return errors;
    }

    private static IEnumerable<string> Modes(IptablesParams p, string table)
    {
        var hasRule = IptablesRuleSpec.HasRule(p);
        var builtIn = IptablesTable.IsBuiltIn(table, p.Chain);
        if (p.Policy is not null)
        {
            if (!builtIn)
            {
                yield return $"policy is only for the built-in chains of the {table} table ({string.Join(", ", IptablesTable.BuiltInChains(table))})";
            }

            if (hasRule || p.ChainManagement || p.State == IptablesState.Absent)
            {
                yield return "policy cannot be combined with rule parameters, chain_management or state: absent";
            }
        }
        else if (!hasRule && !p.ChainManagement)
        {
            yield return "nothing to manage: give rule parameters (protocol, destination_port, jump, …), chain_management or policy";
        }

        if (p.ChainManagement && builtIn)
        {
            yield return $"chain_management is for custom chains; {p.Chain} is built into the {table} table";
        }
    }

    private static void CheckChainName(List<string> errors, string name, string? value)
    {
        if (value is not null && !ChainName().IsMatch(value))
        {
            errors.Add($"{name} must be a chain or target name (letters, digits, '_', '-', '.', at most 28, not starting with '-'), not '{value}'");
        }
    }

    private static void CheckAddress(List<string> errors, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (!IptablesRule.TryNormaliseAddress(IptablesRuleSpec.SplitBang(value).Value, out _))
        {
            errors.Add($"{name} must be an IPv4 address or network (10.0.0.1, 10.0.0.0/8, 10.0.0.0/255.0.0.0), optionally after '!', not '{value}'");
        }
    }

    private static void CheckInterface(List<string> errors, string name, string? value)
    {
        if (value is not null && !Interface().IsMatch(IptablesRuleSpec.SplitBang(value).Value))
        {
            errors.Add($"{name} must be an interface name (eth0, eth+), optionally after '!', not '{value}'");
        }
    }

    private static bool IsPort(string port)
    {
        var m = Port().Match(port);
        return m.Success && m.Groups.Values.Skip(1).Where(g => g.Success).All(g => int.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture) <= 65535);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,27}\z")]
    private static partial Regex ChainName();

    [GeneratedRegex(@"^!? *[A-Za-z0-9-]+\z")]
    private static partial Regex Protocol();

    [GeneratedRegex(@"^[A-Za-z0-9_.:@-]{1,15}\+?\z")]
    private static partial Regex Interface();

    [GeneratedRegex(@"^([0-9]{1,5})(?::([0-9]{1,5}))?\z")]
    private static partial Regex Port();

    [GeneratedRegex(@"^[a-z0-9_]+\z")]
    private static partial Regex MatchName();
}
