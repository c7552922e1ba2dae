using System.Globalization;

namespace StateForge.Modules.Host.Iptables;

internal enum IptablesVerdict
{
    Accept,
    Drop,
    Unknown,
}

/// <summary>
/// Walks the filter table the way the kernel would for the packets of the SSH connection
/// StateForge uses (client → server NEW and ESTABLISHED through INPUT, replies through OUTPUT),
/// to refuse a change that would cut it. Matches it cannot evaluate make the verdict Unknown.
/// </summary>
internal static class IptablesLockout
{
    private const int MaxDepth = 32;

    private sealed record Packet(string Chain, string Label, uint Source, uint Destination, int SourcePort, int DestinationPort, string State, string? In, string? Out);

    /// <summary>An error when the change drops a packet the table accepted before; a warning when it can no longer tell.</summary>
    public static (string? Error, string? Warning) Check(IptablesTable before, IptablesTable after, IptablesSshSession ssh)
    {
        if (!ssh.Known)
        {
            return (null, null);
        }

        string? warning = null;
        foreach (var packet in Packets(ssh))
        {
            var was = Evaluate(before, packet.Chain, packet, 0);
            var now = Evaluate(after, packet.Chain, packet, 0);
            if (now == IptablesVerdict.Drop && was != IptablesVerdict.Drop)
            {
                return ($"refused: after this change the filter table's {packet.Chain} chain would drop {packet.Label} of the SSH " +
                        $"connection StateForge is using ({ssh}); add an ACCEPT for it first, or set allow_lockout: true", null);
            }

            if (now == IptablesVerdict.Unknown && was == IptablesVerdict.Accept)
            {
                warning ??= $"cannot tell whether the filter table still accepts the SSH connection StateForge is using ({ssh}) " +
                            "after this change: a rule on its path uses matches StateForge does not evaluate";
            }
        }

        return (null, warning);
    }

    private static IEnumerable<Packet> Packets(IptablesSshSession s)
    {
        yield return new Packet("INPUT", "new connections", s.ClientIp, s.ServerIp, s.ClientPort, s.ServerPort, "NEW", s.Interface, null);
        yield return new Packet("INPUT", "the packets", s.ClientIp, s.ServerIp, s.ClientPort, s.ServerPort, "ESTABLISHED", s.Interface, null);
        yield return new Packet("OUTPUT", "the replies", s.ServerIp, s.ClientIp, s.ServerPort, s.ClientPort, "ESTABLISHED", null, s.Interface);
    }

    /// <summary>The chain's verdict; null means the packet returns to the calling chain.</summary>
    private static IptablesVerdict? Walk(IptablesTable table, string chainName, Packet p, int depth)
    {
        var chain = table.Find(chainName);
        if (chain is null || depth > MaxDepth)
        {
            return IptablesVerdict.Unknown;
        }

        foreach (var rule in chain.Rules)
        {
            var matched = Matches(rule, p);
            if (matched == false)
            {
                continue;
            }

            var target = rule.Target;
            var jumps = target is not null && table.Find(target) is not null;
            var decides = target is "ACCEPT" or "DROP" or "REJECT" or "RETURN" || jumps;
            if (matched is null)
            {
                if (decides)
                {
                    return IptablesVerdict.Unknown;
                }

                continue;
            }

            switch (target)
            {
                case "ACCEPT":
                    return IptablesVerdict.Accept;
                case "DROP" or "REJECT":
                    return IptablesVerdict.Drop;
                case "RETURN":
                    return chain.IsBuiltIn ? Policy(chain) : null;
            }

            if (jumps)
            {
                var inner = Walk(table, target!, p, depth + 1);
                if (inner is not null)
                {
                    return inner;
                }

                if (rule.Goto)
                {
                    return chain.IsBuiltIn ? Policy(chain) : null;
                }
            }
        }

        return chain.IsBuiltIn ? Policy(chain) : null;
    }

    private static IptablesVerdict Evaluate(IptablesTable table, string chain, Packet p, int depth) =>
        Walk(table, chain, p, depth) ?? IptablesVerdict.Unknown;

    private static IptablesVerdict Policy(IptablesChain chain) => chain.Policy switch
    {
        "ACCEPT" => IptablesVerdict.Accept,
        "DROP" => IptablesVerdict.Drop,
        _ => IptablesVerdict.Unknown,
    };

    /// <summary>True, false, or null when it cannot tell.</summary>
    private static bool? Matches(IptablesRule rule, Packet p)
    {
        var results = new List<bool?>
        {
            Negate(rule.Source, v => InNetwork(p.Source, v)),
            Negate(rule.Destination, v => InNetwork(p.Destination, v)),
            Negate(rule.InInterface, v => Interface(p.In, v)),
            Negate(rule.OutInterface, v => Interface(p.Out, v)),
            Negate(rule.Protocol, v => v == "tcp"),
            Negate(rule.Fragment, _ => false),
        };
        results.AddRange(rule.Matches.Select(m => MatchModule(m, p)));
        return results.Contains(false) ? false : results.Contains(null) ? null : true;
    }

    private static bool? Negate(IptablesValue? value, Func<string, bool?> test)
    {
        if (value is null)
        {
            return true;
        }

        var r = test(value.Value);
        return r is null ? null : r != value.Negated;
    }

    private static bool? MatchModule(IptablesMatch match, Packet p)
    {
        var results = match.Name switch
        {
            "comment" => [],
            "tcp" or "multiport" or "conntrack" => match.Options.Select(o => Option(match.Name, o, p)).ToList(),
            "udp" or "icmp" or "sctp" or "udplite" or "dccp" => [false],
            _ => new List<bool?> { null },
        };
        return results.Contains(false) ? false : results.Contains(null) ? null : true;
    }

    private static bool? Option(string module, IptablesOption o, Packet p)
    {
        bool? r = (module, o.Name) switch
        {
            ("tcp", "--dport") => InRange(p.DestinationPort, o.Values.FirstOrDefault()),
            ("tcp", "--sport") => InRange(p.SourcePort, o.Values.FirstOrDefault()),
            ("multiport", "--dports") => InList(p.DestinationPort, o.Values.FirstOrDefault()),
            ("multiport", "--sports") => InList(p.SourcePort, o.Values.FirstOrDefault()),
            ("multiport", "--ports") => InList(p.DestinationPort, o.Values.FirstOrDefault()) == true || InList(p.SourcePort, o.Values.FirstOrDefault()) == true,
            ("conntrack", "--ctstate") => o.Values.FirstOrDefault()?.Split(',').Contains(p.State),
            _ => null,
        };
        return r is null ? null : r != o.Negated;
    }

    private static bool? InNetwork(uint address, string network)
    {
        var normalised = IptablesRule.NormaliseAddress(network);
        var slash = normalised.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IptablesRule.TryParseIPv4(normalised[..slash], out var net) ||
            !int.TryParse(normalised[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return null;
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (address & mask) == net;
    }

    private static bool? Interface(string? actual, string pattern)
    {
        if (actual is null)
        {
            return null;
        }

        return pattern.EndsWith('+') ? actual.StartsWith(pattern[..^1], StringComparison.Ordinal) : actual == pattern;
    }

    private static bool? InRange(int port, string? range)
    {
        if (range is null)
        {
            return null;
        }

        var parts = range.Split(':');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var lo))
        {
            return null;
        }

        var hi = lo;
        if (parts.Length > 1 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out hi))
        {
            return null;
        }

        return port >= lo && port <= hi;
    }

    private static bool? InList(int port, string? list)
    {
        if (list is null)
        {
            return null;
        }

        var results = list.Split(',').Select(r => InRange(port, r)).ToList();
        return results.Contains(true) ? true : results.Contains(null) ? null : false;
    }
}
