namespace StateForge.Modules.Host.Iptables;

/// <summary>
/// A rules file in iptables-save format (/etc/sysconfig/iptables, /etc/iptables/rules.v4),
/// edited line by line: every line a task does not own stays as it was, comments included.
/// </summary>
internal sealed class IptablesRulesFile
{
    private readonly List<string> lines;
    private readonly bool trailingNewline;

    private IptablesRulesFile(List<string> lines, bool trailingNewline)
    {
        this.lines = lines;
        this.trailingNewline = trailingNewline;
    }

    public static IptablesRulesFile Parse(string text)
    {
        if (text.Length == 0)
        {
            return new IptablesRulesFile([], true);
        }

        var trailing = text.EndsWith('\n');
        var body = trailing ? text[..^1] : text;
        return new IptablesRulesFile([.. body.Split('\n')], trailing);
    }

    public string Render() => lines.Count == 0 ? "" : string.Join('\n', lines) + (trailingNewline ? "\n" : "");

    /// <summary>The line range of a table's section: the `*table` line and its COMMIT (or the end of the file).</summary>
    public (int Start, int End)? Section(string table)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Trim() != "*" + table)
            {
                continue;
            }

            var end = i + 1;
            while (end < lines.Count && lines[end].Trim() != "COMMIT" && !lines[end].TrimStart().StartsWith('*'))
            {
                end++;
            }

            return (i, end);
        }

        return null;
    }

    /// <summary>The table's section, added at the end of the file with its built-in chains when missing.</summary>
    public (int Start, int End) EnsureSection(string table, Func<string, string> policyOf)
    {
        if (Section(table) is { } found)
        {
            return found;
        }

        lines.Add("*" + table);
        lines.AddRange(IptablesTable.BuiltInChains(table).Select(c => $":{c} {policyOf(c)} [0:0]"));
        lines.Add("COMMIT");
        return Section(table)!.Value;
    }

    /// <summary>The `:CHAIN POLICY [counters]` line of a chain in a table, or null.</summary>
    public int? Declaration(string table, string chain)
    {
        if (Section(table) is not (var start, var end))
        {
            return null;
        }

        for (var i = start + 1; i < end; i++)
        {
            if (DeclaredChain(lines[i]) is (var name, _) && name == chain)
            {
                return i;
            }
        }

        return null;
    }

    public string? Policy(string table, string chain) =>
        Declaration(table, chain) is { } line && DeclaredChain(lines[line]) is (_, var policy) ? policy : null;

    /// <summary>Declares a chain after the section's last declaration (policy "-" for a custom chain).</summary>
    public void Declare(string table, string chain, string policy)
    {
        var (start, end) = Section(table)!.Value;
        var at = start + 1;
        for (var i = start + 1; i < end; i++)
        {
            if (DeclaredChain(lines[i]) is not null)
            {
                at = i + 1;
            }
        }

        lines.Insert(at, $":{chain} {policy} [0:0]");
    }

    public void Undeclare(string table, string chain)
    {
        if (Declaration(table, chain) is { } line)
        {
            lines.RemoveAt(line);
        }
    }

    /// <summary>Changes a declared chain's policy, keeping its counters.</summary>
    public void SetPolicy(string table, string chain, string policy)
    {
        var line = Declaration(table, chain)!.Value;
        var parts = lines[line].Trim()[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        lines[line] = $":{chain} {policy} {(parts.Length > 2 ? parts[2] : "[0:0]")}";
    }

    /// <summary>A chain's rules in file order, with their line numbers (0-based).</summary>
    public List<(int Line, IptablesRule Rule)> Rules(string table, string chain)
    {
        var result = new List<(int, IptablesRule)>();
        if (Section(table) is not (var start, var end))
        {
            return result;
        }

        for (var i = start + 1; i < end; i++)
        {
            if (IptablesTable.RuleLine(lines[i]) is { } r && r.Chain == chain)
            {
                result.Add((i, r.Rule));
            }
        }

        return result;
    }

    /// <summary>Every rule of a table's section, with its chain.</summary>
    public List<(string Chain, IptablesRule Rule)> AllRules(string table)
    {
        var result = new List<(string, IptablesRule)>();
        if (Section(table) is (var start, var end))
        {
            for (var i = start + 1; i < end; i++)
            {
                if (IptablesTable.RuleLine(lines[i]) is { } r)
                {
                    result.Add((r.Chain, r.Rule));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Carries out an edit planned on <see cref="Rules"/>: deleted lines go, the new line goes
    /// before the rule now at InsertAt, after the chain's last rule, or (a chain without rules)
    /// after the section's last rule or declaration.
    /// </summary>
    public void Apply(string table, string chain, IptablesEdit edit, IptablesRule want)
    {
        var rules = Rules(table, chain);
        foreach (var index in edit.Deletes.OrderDescending())
        {
            lines.RemoveAt(rules[index].Line);
        }

        if (edit.InsertAt is not { } at)
        {
            return;
        }

        rules = Rules(table, chain);
        var text = IptablesChain.Line(chain, want);
        if (at < rules.Count)
        {
            lines.Insert(rules[at].Line, text);
        }
        else if (rules.Count > 0)
        {
            lines.Insert(rules[^1].Line + 1, text);
        }
        else
        {
            var (start, end) = Section(table)!.Value;
            var after = start;
            for (var i = start + 1; i < end; i++)
            {
                if (DeclaredChain(lines[i]) is not null || IptablesTable.RuleLine(lines[i]) is not null)
                {
                    after = i;
                }
            }

            lines.Insert(after + 1, text);
        }
    }

    private static (string Name, string Policy)? DeclaredChain(string line)
    {
        var text = line.Trim();
        if (!text.StartsWith(':'))
        {
            return null;
        }

        var parts = text[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? null : (parts[0], parts.Length > 1 ? parts[1] : "-");
    }
}
