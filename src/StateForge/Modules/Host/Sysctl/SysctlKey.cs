using System.Globalization;
using System.Text.RegularExpressions;

namespace StateForge.Modules.Host.Sysctl;

/// <summary>Keys and values the way procps sysctl reads them.</summary>
internal static partial class SysctlKey
{
    /// <summary>
    /// The /proc/sys path of a key, as procps does it: when the first separator is '.', dots
    /// and slashes swap (net.ipv4.conf.eth0/100.rp_filter → net/ipv4/conf/eth0.100/rp_filter);
    /// when it is '/', the key is already a path.
    /// </summary>
    public static string ProcPath(string key) => "/proc/sys/" + Swap(key.Trim(), toPath: true);

    /// <summary>The dotted form sysctl prints (net.ipv4.ip_forward), for messages and comparing keys.</summary>
    public static string Dotted(string key) => Swap(key.Trim(), toPath: false);

    /// <summary>Null when the key is safe to map to /proc/sys (no "..", no empty part, ordinary characters), else why not.</summary>
    public static string? Problem(string key)
    {
        if (!KeyChars().IsMatch(key))
        {
            return $"name must be a sysctl key such as net.ipv4.ip_forward (letters, digits, '_', '-', '.', '/', ':', '@', '+'), not '{key}'";
        }

        var parts = Swap(key, toPath: true).Split('/');
        return parts.Any(p => p is "" or "." or "..") ? $"name '{key}' has an empty, '.' or '..' part" : null;
    }

    /// <summary>Ansible's booleans as 0/1, whitespace collapsed, integers without leading zeros or '+'.</summary>
    public static string NormaliseValue(string value)
    {
        var trimmed = value.Trim();
        switch (trimmed.ToLowerInvariant())
        {
            case "yes" or "true" or "on":
                return "1";
            case "no" or "false" or "off":
                return "0";
        }

        return string.Join(' ', trimmed.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(word =>
            long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture) : word));
    }

    private static string Swap(string key, bool toPath)
    {
        var first = key.IndexOfAny(['.', '/']);
        if (first < 0 || key[first] == (toPath ? '/' : '.'))
        {
            return key;
        }

        return new string([.. key.Select(c => c switch { '.' => '/', '/' => '.', _ => c })]);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.:@+/-]*\z")]
    private static partial Regex KeyChars();
}
