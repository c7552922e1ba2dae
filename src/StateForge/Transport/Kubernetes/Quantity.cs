using System.Globalization;
using System.Text.RegularExpressions;

namespace StateForge.Transport.Kubernetes;

/// <summary>Kubernetes resource quantities ("10Gi", "500M", "1.5", "100m"), parsed to compare sizes.</summary>
public static partial class Quantity
{
    private static readonly Dictionary<string, decimal> Suffixes = new(StringComparer.Ordinal)
    {
        [""] = 1m,
        ["m"] = 0.001m,
        ["k"] = 1e3m,
        ["M"] = 1e6m,
        ["G"] = 1e9m,
        ["T"] = 1e12m,
        ["P"] = 1e15m,
        ["E"] = 1e18m,
        ["Ki"] = 1024m,
        ["Mi"] = 1024m * 1024,
        ["Gi"] = 1024m * 1024 * 1024,
        ["Ti"] = 1024m * 1024 * 1024 * 1024,
        ["Pi"] = 1024m * 1024 * 1024 * 1024 * 1024,
    };

    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success ||
            !decimal.TryParse(match.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ||
            !Suffixes.TryGetValue(match.Groups["s"].Value, out var scale))
        {
            return false;
        }

        value = number * scale;
        return true;
    }

    [GeneratedRegex(@"^(?<n>[+-]?(\d+(\.\d*)?|\.\d+))(?<s>[a-zA-Z]*)$")]
    private static partial Regex Pattern();
}
