using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Modules.Host.Iptables;

/// <summary>Where rules live: the kernel's table, or a rules file. The planner converges both the same way.</summary>
internal interface IIptablesStore
{
    bool IsRuntime { get; }

    bool HasChain(string chain);

    void CreateChain(string chain);

    void DeleteChain(string chain);

    IReadOnlyList<IptablesRule> Rules(string chain);

    /// <summary>Every chain's rules, to find references to a chain.</summary>
    IEnumerable<(string Chain, IptablesRule Rule)> AllRules();

    void Apply(string chain, IptablesEdit edit, IptablesRule want);

    /// <summary>The chain's policy; null when the chain is not declared.</summary>
    string? Policy(string chain);

    void SetPolicy(string chain, string policy);
}

/// <summary>The runtime table: edits change the model and add `iptables -w` steps, built from argument lists.</summary>
internal sealed class IptablesRuntimeStore(string table, IptablesTable model) : IIptablesStore
{
    public bool IsRuntime => true;

    public IptablesTable Model => model;

    public List<RemoteStep> Steps { get; } = [];

    public bool HasChain(string chain) => model.Find(chain) is not null;

    public void CreateChain(string chain)
    {
        model.Chains.Add(new IptablesChain(chain, "-"));
        Step($"create chain {table}/{chain}", "-N", chain);
    }

    public void DeleteChain(string chain)
    {
        model.Chains.RemoveAll(c => c.Name == chain);
        Step($"delete chain {table}/{chain}", "-X", chain);
    }

    public IReadOnlyList<IptablesRule> Rules(string chain) => model.Find(chain)?.Rules ?? [];

    public IEnumerable<(string Chain, IptablesRule Rule)> AllRules() => model.Chains.SelectMany(c => c.Rules.Select(r => (c.Name, r)));

    public void Apply(string chain, IptablesEdit edit, IptablesRule want)
    {
        var c = model.Find(chain)!;

        // -D by rule text deletes the first rule printed exactly so: the right one even if the chain moved meanwhile.
        foreach (var index in edit.Deletes.OrderDescending())
        {
            Step($"delete from {table}/{chain}: {c.Rules[index].Text}", ["-D", chain, .. c.Rules[index].Tokens.Select(t => t.Value)]);
        }

        var remaining = c.Rules.Count - edit.Deletes.Length;
        if (edit.InsertAt is { } at)
        {
            var words = want.Tokens.Select(t => t.Value);
            if (at == remaining)
            {
                Step($"append to {table}/{chain}: {want.Text}", ["-A", chain, .. words]);
            }
            else
            {
                var number = (at + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Step($"insert into {table}/{chain} at {number}: {want.Text}", ["-I", chain, number, .. words]);
            }
        }

        var updated = edit.Apply(c.Rules, want);
        c.Rules.Clear();
        c.Rules.AddRange(updated);
    }

    public string? Policy(string chain) => model.Find(chain)?.Policy;

    public void SetPolicy(string chain, string policy)
    {
        model.Find(chain)!.Policy = policy;
        Step($"set policy of {table}/{chain} to {policy}", "-P", chain, policy);
    }

    private void Step(string description, params string[] arguments) =>
        Steps.Add(new RemoteStep(description, Shell.Command(["iptables", "-w", "-t", table, .. arguments])));
}

/// <summary>A table's section of a rules file: edits change lines in place; built-in chains get the runtime policy when declared.</summary>
internal sealed class IptablesFileStore(string table, IptablesRulesFile file, Func<string, string> runtimePolicy) : IIptablesStore
{
    public bool IsRuntime => false;

    public bool HasChain(string chain) => file.Declaration(table, chain) is not null;

    public void CreateChain(string chain)
    {
        Section();
        file.Declare(table, chain, IptablesTable.IsBuiltIn(table, chain) ? runtimePolicy(chain) : "-");
    }

    public void DeleteChain(string chain) => file.Undeclare(table, chain);

    public IReadOnlyList<IptablesRule> Rules(string chain) => [.. file.Rules(table, chain).Select(r => r.Rule)];

    public IEnumerable<(string Chain, IptablesRule Rule)> AllRules() => file.AllRules(table);

    public void Apply(string chain, IptablesEdit edit, IptablesRule want)
    {
        Section();
        if (!HasChain(chain))
        {
            CreateChain(chain);
        }

        file.Apply(table, chain, edit, want);
    }

    public string? Policy(string chain) => file.Policy(table, chain);

    public void SetPolicy(string chain, string policy)
    {
        Section();
        if (HasChain(chain))
        {
            file.SetPolicy(table, chain, policy);
        }
        else
        {
            file.Declare(table, chain, policy);
        }
    }

    private void Section() => file.EnsureSection(table, runtimePolicy);
}
