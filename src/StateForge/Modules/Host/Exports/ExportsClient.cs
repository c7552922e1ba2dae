using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace StateForge.Modules.Host.Exports;

/// <summary>One client of an export: a host spec (name, wildcard, @netgroup, network, *) and its options.</summary>
internal sealed partial record ExportsClient(string Host, ImmutableArray<string> Options)
{
    /// <summary>The host as compared: lower case, "" (anonymous) and "&lt;world&gt;" as "*", dotted masks as prefixes.</summary>
    public string HostKey => NormaliseHost(Host);

    public ImmutableSortedDictionary<string, string> Families => ExportsOptions.Families(Options);

    /// <summary>Equal keys mean the same client with the same effective options.</summary>
    public string Key => HostKey + "(" + string.Join(',', Families.Values) + ")";

    /// <summary>As exports(5) writes it: `host(opt,opt)`, or the bare host without options.</summary>
    public override string ToString() => Options.Length == 0 ? Host : $"{Host}({string.Join(',', Options)})";

    /// <summary>`host(opt,opt)` or `host`; null when the text is not one client.</summary>
    public static ExportsClient? Parse(string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return text.Length == 0 || text.Contains(')', StringComparison.Ordinal) ? null : new ExportsClient(text, []);
        }

        if (!text.EndsWith(')') || text.IndexOf(')', StringComparison.Ordinal) != text.Length - 1)
        {
            return null;
        }

        return new ExportsClient(text[..open], SplitOptions(text[(open + 1)..^1]));
    }

    public static ImmutableArray<string> SplitOptions(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>
    /// The clients parameter: one string (`*(rw,sync)` or several separated by spaces), or a list
    /// of such strings and {host, options} mappings (options a comma list or a list). Errors say
    /// what is wrong with which item.
    /// </summary>
    public static (ImmutableArray<ExportsClient> Clients, List<string> Errors) FromParameter(object? value)
    {
        var clients = ImmutableArray.CreateBuilder<ExportsClient>();
        var errors = new List<string>();
        var items = value switch
        {
            null => [],
            string s => s.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList(),
            IList list => list.Cast<object?>().ToList(),
            _ => [value],
        };
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"clients[{i.ToString(CultureInfo.InvariantCulture)}]";
            switch (items[i])
            {
                case string text when Parse(text) is { } client:
                    clients.Add(client);
                    break;
                case string text:
                    errors.Add($"{at}: '{text}' is not a client; write host(options), e.g. '*(rw,sync)'");
                    break;
                case IDictionary<string, object?> map when map.TryGetValue("host", out var host) && host is string h:
                    var unknown = map.Keys.Where(k => k is not ("host" or "options")).ToList();
                    if (unknown.Count > 0)
                    {
                        errors.Add($"{at}: unknown key(s) {string.Join(", ", unknown)}; a client mapping has host and options");
                    }

                    var options = (map.TryGetValue("options", out var o0) ? o0 : null) switch
                    {
                        null => [],
                        string o => SplitOptions(o),
                        IList l => [.. l.Cast<object?>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "")],
                        var other => [Convert.ToString(other, CultureInfo.InvariantCulture) ?? ""],
                    };
                    clients.Add(new ExportsClient(h, options));
                    break;
                default:
                    errors.Add($"{at}: must be a string host(options) or a mapping with host and options");
                    break;
            }
        }

        foreach (var (client, i) in clients.Select((c, i) => (c, i)))
        {
            if (!HostPattern().IsMatch(client.Host))
            {
                errors.Add($"client host '{client.Host}' must be a host name, wildcard, @netgroup, address or network (or * for everyone)");
            }

            errors.AddRange(client.Options.Select(ExportsOptions.Problem).OfType<string>().Select(p => $"client {client.Host}: {p}"));
        }

        return (clients.ToImmutable(), errors);
    }

    public static string NormaliseHost(string host)
    {
        var h = host.ToLowerInvariant();
        if (h is "" or "<world>")
        {
            return "*";
        }

        var slash = h.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && Modules.Host.Iptables.IptablesRule.TryNormaliseAddress(h, out var network))
        {
            return network;
        }

        return h;
    }

    [GeneratedRegex(@"^[A-Za-z0-9*?._@:/\[\]][A-Za-z0-9*?._@:/\[\]-]*\z")]
    private static partial Regex HostPattern();
}
