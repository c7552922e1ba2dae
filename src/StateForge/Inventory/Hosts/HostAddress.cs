using System.Globalization;
using System.Text.RegularExpressions;

namespace StateForge.Inventory.Hosts;

/// <summary>
/// Splits an inventory host entry into a name (possibly with [x:y] ranges) and an optional
/// port, by the rules of Ansible's parse_address: host:2222, [host]:2222, [::1]:2222. An entry
/// that is not a valid address is kept whole, without a port, as Ansible keeps it.
/// </summary>
internal static partial class HostAddress
{
    public static (string Pattern, int? Port) Split(string entry)
    {
        var address = entry;
        int? port = null;
        if (BracketedHostPort().Match(address) is { Success: true } b)
        {
            address = b.Groups[1].Value;
            port = ParsePort(b.Groups[2].Value);
        }

        if (HostPort().Match(address) is { Success: true } h)
        {
            address = h.Groups[1].Value;
            port = ParsePort(h.Groups[2].Value);
        }

        return IsValidHost(address) ? (address, port) : (entry, null);
    }

    /// <summary>Whether the whole entry reads as one address (with ranges and a port allowed).</summary>
    public static bool IsAddress(string entry)
    {
        var (pattern, port) = Split(entry);
        return port is not null || IsValidHost(pattern);
    }

    public static bool IsIpAddress(string name) => Ipv4().IsMatch(name) || Ipv6().IsMatch(name);

    private static bool IsValidHost(string address) => Ipv4().IsMatch(address) || Ipv6().IsMatch(address) || HostName().IsMatch(address);

    private static int? ParsePort(string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;

    private const string NumericRange = @"\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]";
    private const string AlphanumericRange = @"\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]";
    private const string V6 = "(?:[0-9a-f]{1,4}|" + NumericRange + ")";
    private const string V4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NumericRange + ")";
    private const string Label = @"(?:\w|" + AlphanumericRange + @")(?:[\w-]|" + AlphanumericRange + @")*(?<![_-])";

    [GeneratedRegex(@"^\[(.+)\]:([0-9]+)$")]
    private static partial Regex BracketedHostPort();

    [GeneratedRegex(@"^((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)$")]
    private static partial Regex HostPort();

    [GeneratedRegex("^(?:" + V4 + @"\.){3}" + V4 + "$", RegexOptions.IgnoreCase)]
    private static partial Regex Ipv4();

    [GeneratedRegex(
        "^(?:(?:" + V6 + ":){7}" + V6 +
        "|(?:" + V6 + ":){1,6}:" +
        "|(?:" + V6 + ":)(?::" + V6 + "){1,6}" +
        "|(?:" + V6 + ":){2}(?::" + V6 + "){1,5}" +
        "|(?:" + V6 + ":){3}(?::" + V6 + "){1,4}" +
        "|(?:" + V6 + ":){4}(?::" + V6 + "){1,3}" +
        "|(?:" + V6 + ":){5}(?::" + V6 + "){1,2}" +
        "|(?:" + V6 + ":){6}(?::" + V6 + ")" +
        "|:(?::" + V6 + "){1,6}" +
        "|" + V6 + "?::" +
        "|(?:0:){6}(?:" + V6 + @"\.){3}" + V6 +
        "|::(?:ffff:)?(?:" + V6 + @"\.){3}" + V6 +
        "|(?:0:){5}ffff:(?:" + V6 + @"\.){3}" + V6 +
        ")$",
        RegexOptions.IgnoreCase)]
    private static partial Regex Ipv6();

    [GeneratedRegex("^" + Label + @"(?:\." + Label + ")*$", RegexOptions.IgnoreCase)]
    private static partial Regex HostName();
}
