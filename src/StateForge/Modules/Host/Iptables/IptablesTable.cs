using System.Text;

namespace StateForge.Modules.Host.Iptables;

/// <summary>One chain of a table: its policy ("-" for a custom chain) and its rules in order.</summary>
internal sealed class IptablesChain(string name, string policy, string counters = "[0:0]")
{
    public string Name { get; } = name;

    public string Policy { get; set; } = policy;

    public string Counters { get; } = counters;

    public List<IptablesRule> Rules { get; } = [];

    public bool IsBuiltIn => Policy != "-";

    /// <summary>The chain as `iptables -S` lists its rules, for diffs.</summary>
    public string Listing() =>
        (IsBuiltIn ? $"-P {Name} {Policy}\n" : $"-N {Name}\n") + string.Concat(Rules.Select(r => Line(Name, r) + "\n"));

    /// <summary>A rule as a save-format line: `-A CHAIN words`.</summary>
    public static string Line(string chain, IptablesRule rule) => rule.Tokens.Length == 0 ? "-A " + chain : $"-A {chain} {rule.Text}";
}

/// <summary>The runtime state of one table, parsed from `iptables-save -t TABLE` and rendered back in that format.</summary>
internal sealed class IptablesTable
{
    private IptablesTable(string name) => Name = name;

    public string Name { get; }

    public List<IptablesChain> Chains { get; } = [];

    public static IReadOnlyList<string> BuiltInChains(string table) => table switch
    {
        "nat" => ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
        "mangle" => ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
        "raw" => ["PREROUTING", "OUTPUT"],
        _ => ["INPUT", "FORWARD", "OUTPUT"],
    };

    public static bool IsBuiltIn(string table, string chain) => BuiltInChains(table).Contains(chain);

    /// <summary>The table's section of iptables-save output; a table the output lacks has its built-in chains, policy ACCEPT.</summary>
    public static IptablesTable Parse(string saveOutput, string table)
    {
        var result = new IptablesTable(table);
        var inSection = false;
        var found = false;
        foreach (var raw in saveOutput.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '*')
            {
                inSection = line[1..] == table;
                found |= inSection;
                continue;
            }

            if (!inSection)
            {
                continue;
            }

            if (line == "COMMIT")
            {
                inSection = false;
            }
            else if (line[0] == ':')
            {
                var parts = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                result.Chains.Add(new IptablesChain(parts[0], parts.Length > 1 ? parts[1] : "-", parts.Length > 2 ? parts[2] : "[0:0]"));
            }
            else if (RuleLine(line) is { } rule && result.Find(rule.Chain) is { } chain)
            {
                chain.Rules.Add(rule.Rule);
            }
        }

        if (!found)
        {
            result.Chains.AddRange(BuiltInChains(table).Select(c => new IptablesChain(c, "ACCEPT")));
        }

        return result;
    }

    /// <summary>A `-A CHAIN …` line (optionally after `[packets:bytes]` counters); null for any other line.</summary>
    public static (string Chain, IptablesRule Rule)? RuleLine(string line)
    {
        var text = line.Trim();
        if (text.StartsWith('[') && text.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
        {
            text = text[(close + 1)..].TrimStart();
        }

        if (!text.StartsWith("-A ", StringComparison.Ordinal) && !text.StartsWith("--append ", StringComparison.Ordinal))
        {
            return null;
        }

        var tokens = IptablesTokens.Split(text);
        return tokens.Length < 2 ? null : (tokens[1].Value, IptablesRule.Parse(tokens[2..]));
    }

    public IptablesChain? Find(string chain) => Chains.FirstOrDefault(c => c.Name == chain);

    public IptablesTable Clone()
    {
        var copy = new IptablesTable(Name);
        foreach (var chain in Chains)
        {
            var c = new IptablesChain(chain.Name, chain.Policy, chain.Counters);
            c.Rules.AddRange(chain.Rules);
            copy.Chains.Add(c);
        }

        return copy;
    }

    /// <summary>The table in iptables-save format (no header comments), as the simulated fact of later tasks.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(Name).Append('\n');
        foreach (var chain in Chains)
        {
            sb.Append(':').Append(chain.Name).Append(' ').Append(chain.Policy).Append(' ').Append(chain.Counters).Append('\n');
        }

        foreach (var chain in Chains)
        {
            foreach (var rule in chain.Rules)
            {
                sb.Append(IptablesChain.Line(chain.Name, rule)).Append('\n');
            }
        }

        return sb.Append("COMMIT\n").ToString();
    }
}
