using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace StateForge.Modules.Host.Exports;

/// <summary>
/// Export options as exports(5) and nfs-utils' parser know them. Each option belongs to a family
/// (rw/ro, sync/async, root_squash/no_root_squash, anonuid=N, …) where the last one given wins,
/// so two option lists compare equal when they leave every family with the same value, whatever
/// their order.
/// </summary>
internal static partial class ExportsOptions
{
    private static readonly ImmutableDictionary<string, string> Flags = new Dictionary<string, string>
    {
        ["rw"] = "access",
        ["ro"] = "access",
        ["sync"] = "sync",
        ["async"] = "sync",
        ["wdelay"] = "wdelay",
        ["no_wdelay"] = "wdelay",
        ["hide"] = "hide",
        ["nohide"] = "hide",
        ["crossmnt"] = "crossmnt",
        ["nocrossmnt"] = "crossmnt",
        ["subtree_check"] = "subtree_check",
        ["no_subtree_check"] = "subtree_check",
        ["secure"] = "secure",
        ["insecure"] = "secure",
        ["root_squash"] = "root_squash",
        ["no_root_squash"] = "root_squash",
        ["all_squash"] = "all_squash",
        ["no_all_squash"] = "all_squash",
        ["auth_nlm"] = "locks",
        ["secure_locks"] = "locks",
        ["no_auth_nlm"] = "locks",
        ["insecure_locks"] = "locks",
        ["acl"] = "acl",
        ["no_acl"] = "acl",
        ["pnfs"] = "pnfs",
        ["no_pnfs"] = "pnfs",
        ["nordirplus"] = "nordirplus",
        ["security_label"] = "security_label",
        ["mountpoint"] = "mountpoint",
        ["mp"] = "mountpoint",
    }.ToImmutableDictionary();

    private static readonly string[] Keyed = ["anonuid", "anongid", "fsid", "mountpoint", "mp", "refer", "replicas", "sec"];
    private static readonly string[] Flavors = ["krb5", "krb5i", "krb5p", "unix", "sys", "null", "none"];

    /// <summary>
    /// What `exportfs -v` shows when an option of the family is not listed: the kernel's default,
    /// or null when it does not tell (secure/insecure are shown only when the kernel's nfsd says so).
    /// </summary>
    private static readonly ImmutableDictionary<string, string?> LiveDefaults = new Dictionary<string, string?>
    {
        ["crossmnt"] = "nocrossmnt",
        ["locks"] = "secure_locks",
        ["acl"] = "acl",
        ["pnfs"] = "no_pnfs",
        ["nordirplus"] = "",
        ["security_label"] = "",
        ["mountpoint"] = "",
        ["fsid"] = "",
        ["anonuid"] = "anonuid=65534",
        ["anongid"] = "anongid=65534",
        ["refer"] = "",
        ["replicas"] = "",
    }.ToImmutableDictionary();

    /// <summary>Null when the option is one exports(5) knows, with a well-formed value; else why not.</summary>
    public static string? Problem(string option)
    {
        if (Flags.ContainsKey(option))
        {
            return null;
        }

        var eq = option.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? option : option[..eq];
        var value = eq < 0 ? "" : option[(eq + 1)..];
        if (eq < 0 || !Keyed.Contains(name))
        {
            return name is "squash_uids" or "squash_gids"
                ? $"export option '{name}' is not supported here (its value contains commas)"
                : $"unknown export option '{option}' (exports(5) knows {string.Join(", ", Flags.Keys.Order(StringComparer.Ordinal))}, and {string.Join("=, ", Keyed)}=)";
        }

        var ok = name switch
        {
            "anonuid" or "anongid" => Integer().IsMatch(value),
            "fsid" => value == "root" || Integer().IsMatch(value) || value.Count(char.IsAsciiHexDigit) == 32 && Uuid().IsMatch(value),
            "sec" => value.Split(':').All(Flavors.Contains),
            _ => value.Length > 0 && Word().IsMatch(value),
        };
        return ok ? null : $"bad value in export option '{option}'";
    }

    /// <summary>Family → value, the last option of each family winning (mp is mountpoint; fsid=root is fsid=0).</summary>
    public static ImmutableSortedDictionary<string, string> Families(IEnumerable<string> options)
    {
        var map = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var raw in options)
        {
            var option = Canonical(raw.Trim());
            if (option.Length > 0)
            {
                map[Family(option)] = option;
            }
        }

        return map.ToImmutable();
    }

    /// <summary>The family an option sets.</summary>
    public static string Family(string option)
    {
        if (Flags.TryGetValue(option, out var family))
        {
            return family;
        }

        var eq = option.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? option : option[..eq] is "mp" ? "mountpoint" : option[..eq];
    }

    /// <summary>
    /// Whether the live options (from `exportfs -v`) give every family the value asked; a family
    /// the live line does not show counts as its default, or is skipped when that is unknown.
    /// Returns the families that differ.
    /// </summary>
    public static List<string> LiveDifferences(ImmutableSortedDictionary<string, string> wanted, ImmutableSortedDictionary<string, string> live)
    {
        var differ = new List<string>();
        foreach (var (family, value) in wanted)
        {
            var actual = live.TryGetValue(family, out var shown) ? shown : LiveDefaults.GetValueOrDefault(family);
            if (actual is not null && actual != value && !(actual.Length == 0 && IsOff(value)))
            {
                differ.Add(value);
            }
        }

        return differ;
    }

    private static bool IsOff(string value) => value is "nocrossmnt" or "no_pnfs" or "no_acl";

    private static string Canonical(string option) => option switch
    {
        "mp" => "mountpoint",
        "auth_nlm" => "secure_locks",
        "no_auth_nlm" => "insecure_locks",
        "fsid=root" => "fsid=0",
        _ when option.StartsWith("mp=", StringComparison.Ordinal) => "mountpoint=" + option[3..],
        _ when option.StartsWith("anonuid=", StringComparison.Ordinal) || option.StartsWith("anongid=", StringComparison.Ordinal) =>
            option[..8] + (long.TryParse(option[8..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture) : option[8..]),
        _ => option,
    };

    [GeneratedRegex(@"^-?[0-9]{1,10}\z")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[0-9A-Fa-f:-]+\z")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"^[A-Za-z0-9_./@:+-]+\z")]
    private static partial Regex Word();
}
