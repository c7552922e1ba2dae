using System.Collections.Immutable;
using System.Globalization;

namespace StateForge.Modules.Host.Iptables;

/// <summary>A negatable value of a rule: `! -s 10.0.0.0/8` is (true, "10.0.0.0/8").</summary>
internal sealed record IptablesValue(bool Negated, string Value)
{
    public override string ToString() => (Negated ? "!" : "") + Value;
}

/// <summary>One option of a match or target, e.g. `! --ctstate INVALID`.</summary>
internal sealed record IptablesOption(string Name, bool Negated, ImmutableArray<string> Values)
{
    public override string ToString() => (Negated ? "!" : "") + Name + (Values.Length > 0 ? "=" + string.Join(' ', Values) : "");
}

/// <summary>A match module with its options, e.g. `-m tcp --dport 2049`.</summary>
internal sealed record IptablesMatch(string Name, ImmutableArray<IptablesOption> Options)
{
    public IptablesOption? Option(string name) => Options.FirstOrDefault(o => o.Name == name);

    public override string ToString() => Name + "(" + string.Join(',', Options.OrderBy(o => o.Name, StringComparer.Ordinal)) + ")";
}

/// <summary>
/// One rule of a chain, as the words after `-A CHAIN`, with a normalised form for comparing:
/// the form iptables-save prints (addresses with their prefix, `-m tcp` implied by `-p tcp
/// --dport`, REJECT's default `--reject-with`), `-m state --state` and `-m conntrack --ctstate`
/// as the same match, state lists and multiport lists as sets, matches in any order.
/// </summary>
internal sealed class IptablesRule
{
    private static readonly ImmutableDictionary<string, string> ProtocolNumbers = new Dictionary<string, string>
    {
        ["1"] = "icmp",
        ["2"] = "igmp",
        ["6"] = "tcp",
        ["17"] = "udp",
        ["33"] = "dccp",
        ["47"] = "gre",
        ["50"] = "esp",
        ["51"] = "ah",
        ["58"] = "ipv6-icmp",
        ["132"] = "sctp",
        ["136"] = "udplite",
    }.ToImmutableDictionary();

    private static readonly string[] StateOrder = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"];

    private IptablesRule(ImmutableArray<IptablesToken> tokens)
    {
        Tokens = tokens;
    }

    public ImmutableArray<IptablesToken> Tokens { get; }

    /// <summary>The rule as iptables-save prints it (after `-A CHAIN `).</summary>
    public string Text => IptablesTokens.Join(Tokens);

    public IptablesValue? Source { get; private set; }

    public IptablesValue? Destination { get; private set; }

    public IptablesValue? InInterface { get; private set; }

    public IptablesValue? OutInterface { get; private set; }

    public IptablesValue? Protocol { get; private set; }

    public IptablesValue? Fragment { get; private set; }

    public ImmutableArray<IptablesMatch> Matches { get; private set; } = [];

    public string? Target { get; private set; }

    public bool Goto { get; private set; }

    public ImmutableArray<IptablesOption> TargetOptions { get; private set; } = [];

    /// <summary>The normalised form: equal keys mean the same rule.</summary>
    public string Key { get; private set; } = "";

    /// <summary>No address, interface, protocol or match (a comment does not count): every packet matches.</summary>
    public bool IsUnconditional =>
        Source is null && Destination is null && InInterface is null && OutInterface is null && Protocol is null && Fragment is null &&
        Matches.All(m => m.Name == "comment");

    /// <summary>An unconditional ACCEPT, DROP or REJECT: rules after it never see a packet.</summary>
    public bool IsFinal => IsUnconditional && !Goto && Target is "ACCEPT" or "DROP" or "REJECT";

    public static IptablesRule Parse(string text) => Parse(IptablesTokens.Split(text));

    public static IptablesRule Parse(ImmutableArray<IptablesToken> tokens)
    {
        var rule = new IptablesRule(tokens);
        rule.Normalise();
        return rule;
    }

    public override string ToString() => Text;

    /// <summary>Canonical address: 10.0.0.1 → 10.0.0.1/32, 10.1.2.3/255.255.0.0 → 10.1.0.0/16; other text as is.</summary>
    public static string NormaliseAddress(string address) =>
        TryNormaliseAddress(address, out var normalised) ? normalised : address.ToLowerInvariant();

    /// <summary>False when the text is not an IPv4 address, optionally with a prefix length or a contiguous dotted mask.</summary>
    public static bool TryNormaliseAddress(string address, out string normalised)
    {
        normalised = address;
        var slash = address.IndexOf('/', StringComparison.Ordinal);
        if (!TryParseIPv4(slash < 0 ? address : address[..slash], out var bits))
        {
            return false;
        }

        var prefix = 32;
        if (slash >= 0)
        {
            var mask = address[(slash + 1)..];
            if (mask.Length is > 0 and <= 2 && mask.All(char.IsAsciiDigit) && int.Parse(mask, CultureInfo.InvariantCulture) is var n && n <= 32)
            {
                prefix = n;
            }
            else if (TryParseIPv4(mask, out var m) && PrefixOf(m) is { } fromMask)
            {
                prefix = fromMask;
            }
            else
            {
                return false;
            }
        }

        var net = prefix == 0 ? 0u : bits & (uint.MaxValue << (32 - prefix));
        normalised = FormatIPv4(net) + "/" + prefix.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    public static bool TryParseIPv4(string text, out uint value)
    {
        value = 0;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }

            value = (value << 8) | b;
        }

        return true;
    }

    public static string FormatIPv4(uint value) =>
        string.Join('.', new[] { value >> 24, (value >> 16) & 255, (value >> 8) & 255, value & 255 }.Select(b => b.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Protocol as iptables-save prints it: numbers by name, "all" as no protocol (null).</summary>
    public static string? NormaliseProtocol(string protocol)
    {
        var p = protocol.ToLowerInvariant();
        p = ProtocolNumbers.GetValueOrDefault(p, p);
        return p is "all" or "0" ? null : p;
    }

    /// <summary>A port or range as iptables-save prints it: "80:80" → "80", ":10" → "0:10", "10:" → "10:65535".</summary>
    public static string NormalisePort(string port)
    {
        var colon = port.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return port;
        }

        var lo = colon == 0 ? "0" : port[..colon];
        var hi = colon == port.Length - 1 ? "65535" : port[(colon + 1)..];
        return lo == hi ? lo : lo + ":" + hi;
    }

    /// <summary>Connection states in the order iptables prints them, upper case, without duplicates.</summary>
    public static string NormaliseStates(string states) =>
        string.Join(',', states.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToUpperInvariant())
            .Distinct()
            .OrderBy(s => Array.IndexOf(StateOrder, s) is var i && i < 0 ? int.MaxValue : i)
            .ThenBy(s => s, StringComparer.Ordinal));

    private static int? PrefixOf(uint mask)
    {
        var prefix = 0;
        while (prefix < 32 && (mask & (1u << (31 - prefix))) != 0)
        {
            prefix++;
        }

        return mask == (prefix == 0 ? 0u : uint.MaxValue << (32 - prefix)) ? prefix : null;
    }

    private void Normalise()
    {
        var matches = new List<(string Name, List<IptablesOption> Options)>();
        List<IptablesOption>? current = null;
        var targetOptions = new List<IptablesOption>();
        var inTarget = false;
        var negate = false;
        var i = 0;

        string Next() => i + 1 < Tokens.Length ? Tokens[++i].Value : "";

        IptablesValue Value(string v)
        {
            var value = new IptablesValue(negate, v);
            negate = false;
            return value;
        }

        for (; i < Tokens.Length; i++)
        {
            var t = Tokens[i];
            if (t.IsBang)
            {
                negate = true;
                continue;
            }

            switch (t.Quoted ? "" : t.Value)
            {
                case "-s" or "--source" or "--src":
                    Source = Value(NormaliseAddress(Next()));
                    continue;
                case "-d" or "--destination" or "--dst":
                    Destination = Value(NormaliseAddress(Next()));
                    continue;
                case "-i" or "--in-interface":
                    InInterface = Value(Next());
                    continue;
                case "-o" or "--out-interface":
                    OutInterface = Value(Next());
                    continue;
                case "-p" or "--protocol":
                    var proto = NormaliseProtocol(Next());
                    Protocol = proto is null ? null : Value(proto);
                    negate = false;
                    continue;
                case "-f" or "--fragment":
                    Fragment = Value("fragment");
                    continue;
                case "-m" or "--match":
                    current = [];
                    matches.Add((Next().ToLowerInvariant(), current));
                    inTarget = false;
                    continue;
                case "-j" or "--jump" or "-g" or "--goto":
                    Goto = t.Value is "-g" or "--goto";
                    Target = Next();
                    inTarget = true;
                    current = null;
                    continue;
                case "-c" or "--set-counters":
                    i += 2;
                    continue;
                case "-4" or "-6" or "--ipv4" or "--ipv6":
                    continue;
            }

            if (!t.IsOption)
            {
                // A stray word: keep it with whatever came before, so it still counts.
                (inTarget ? targetOptions : current ?? ImplicitMatch(matches, "?"))
                    .Add(new IptablesOption("", false, [t.Value]));
                continue;
            }

            var values = ImmutableArray.CreateBuilder<string>();
            while (i + 1 < Tokens.Length && !Tokens[i + 1].IsOption && !Tokens[i + 1].IsBang)
            {
                values.Add(Tokens[++i].Value);
            }

            var option = new IptablesOption(t.Value, negate, values.ToImmutable());
            negate = false;
            if (inTarget)
            {
                targetOptions.Add(option);
            }
            else
            {
                (current ?? ImplicitMatch(matches, Protocol?.Value ?? "?")).Add(option);
            }
        }

        Matches = [.. matches.Select(m => NormaliseMatch(m.Name, m.Options)).Where(m => !(m.Options.Length == 0 && m.Name == Protocol?.Value))];
        if (Target == "REJECT" && !targetOptions.Any(o => o.Name == "--reject-with"))
        {
            targetOptions.Add(new IptablesOption("--reject-with", false, ["icmp-port-unreachable"]));
        }

        TargetOptions = [.. targetOptions];
        Key = string.Join(' ', new[]
        {
            "s=" + Source, "d=" + Destination, "i=" + InInterface, "o=" + OutInterface, "p=" + Protocol, "f=" + Fragment,
            "m=" + string.Join(';', Matches.Select(m => m.ToString()).OrderBy(s => s, StringComparer.Ordinal)),
            (Goto ? "g=" : "j=") + Target, "t=" + string.Join(',', TargetOptions),
        });
    }

    private static List<IptablesOption> ImplicitMatch(List<(string Name, List<IptablesOption> Options)> matches, string name)
    {
        foreach (var m in matches)
        {
            if (m.Name == name)
            {
                return m.Options;
            }
        }

        var options = new List<IptablesOption>();
        matches.Add((name, options));
        return options;
    }

    private static IptablesMatch NormaliseMatch(string name, List<IptablesOption> options)
    {
        if (name == "state")
        {
            name = "conntrack";
            options = [.. options.Select(o => o.Name == "--state" ? o with { Name = "--ctstate" } : o)];
        }

        var normalised = options.Select(o => (name, o.Name) switch
        {
            ("conntrack", "--ctstate") => o with { Values = [NormaliseStates(string.Join(',', o.Values))] },
            ("multiport", "--destination-ports" or "--dports") => o with { Name = "--dports", Values = [PortList(o.Values)] },
            ("multiport", "--source-ports" or "--sports") => o with { Name = "--sports", Values = [PortList(o.Values)] },
            ("multiport", "--ports") => o with { Values = [PortList(o.Values)] },
            (_, "--destination-port" or "--dport") => o with { Name = "--dport", Values = [.. o.Values.Select(NormalisePort)] },
            (_, "--source-port" or "--sport") => o with { Name = "--sport", Values = [.. o.Values.Select(NormalisePort)] },
            _ => o,
        });
        return new IptablesMatch(name, [.. normalised]);
    }

    private static string PortList(ImmutableArray<string> values) =>
        string.Join(',', string.Join(',', values).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(NormalisePort)
            .Distinct()
            .OrderBy(p => int.TryParse(p.Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue)
            .ThenBy(p => p, StringComparer.Ordinal));
}
