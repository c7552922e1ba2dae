using System.Globalization;
using System.Text.RegularExpressions;

namespace StateForge.Parsing;

/// <summary>
/// Resolves plain scalars the way Ansible's YAML (1.1) reader does, so playbooks mean what they
/// mean there: yes/no/on/off are booleans, 0755 is an octal number.
/// </summary>
public static partial class ScalarResolver
{
    public static object? Resolve(string value, string? tag)
    {
        if (tag is not null)
        {
            return ResolveTagged(value, tag);
        }

        if (IsNull(value))
        {
            return null;
        }

        if (TryBool(value, out var b))
        {
            return b;
        }

        if (TryInteger(value, out var l))
        {
            return l;
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return value switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            _ => value,
        };
    }

    public static object? ResolveTagged(string value, string? tag) => tag switch
    {
        "tag:yaml.org,2002:int" or "!!int" when TryInteger(value, out var l) => l,
        "tag:yaml.org,2002:bool" or "!!bool" when TryBool(value, out var b) => b,
        "tag:yaml.org,2002:null" or "!!null" => null,
        _ => value,
    };

    public static string KindOf(string plain) => Resolve(plain, null) switch
    {
        null => "null",
        bool => "a boolean",
        long => "an integer",
        double => "a number",
        _ => "a string",
    };

    public static bool IsNull(string value) => value is "" or "~" or "null" or "Null" or "NULL";

    public static bool TryBool(string value, out bool result)
    {
        switch (value)
        {
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                result = true;
                return true;
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    /// <summary>YAML 1.1 integers: decimal, 0x hex, 0o and leading-zero octal, 0b binary, underscores.</summary>
    public static bool TryInteger(string value, out long result)
    {
        result = 0;
        if (!IntegerPattern().IsMatch(value))
        {
            return false;
        }

        var s = value.Replace("_", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        if (s[0] is '-' or '+')
        {
            s = s[1..];
        }

        // "0x_" matches the pattern but has no digits once the underscores go: a string, not a number.
        try
        {
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                result = Convert.ToInt64(s[2..], 16);
            }
            else if (s.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
            {
                result = Convert.ToInt64(s[2..], 8);
            }
            else if (s.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
            {
                result = Convert.ToInt64(s[2..], 2);
            }
            else if (s.Length > 1 && s[0] == '0')
            {
                result = Convert.ToInt64(s, 8);
            }
            else
            {
                result = long.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }

        result = negative ? -result : result;
        return true;
    }

    [GeneratedRegex(@"^[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]+|[0-9][0-9_]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")]
    private static partial Regex FloatPattern();
}
