using System.Globalization;
using System.Text.RegularExpressions;

namespace StateForge.KubeApiServer.Resources;

/// <summary>Parses resource quantities ("10Gi", "500M", "1.5", "100m") well enough to compare sizes.</summary>
internal static partial class Quantity
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
        ["Ei"] = 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
    };

    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (text is null)
        {
            return false;
        }

        var match = Pattern().Match(text);
        if (!match.Success ||
            !decimal.TryParse(match.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var suffix = match.Groups["s"].Value;
        if (suffix.StartsWith('e') || suffix.StartsWith('E') && suffix.Length > 1 && suffix[1] != 'i')
        {
            var exponent = int.Parse(suffix[1..], CultureInfo.InvariantCulture);
            value = number * (decimal)Math.Pow(10, exponent);
            return true;
        }

        if (!Suffixes.TryGetValue(suffix, out var scale))
        {
            return false;
        }

        value = number * scale;
        return true;
    }

    [GeneratedRegex(@"^(?<n>[+-]?(\d+(\.\d*)?|\.\d+))(?<s>[eE][+-]?\d+|[a-zA-Z]*)$")]
    private static partial Regex Pattern();
}
