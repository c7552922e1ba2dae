using System.Globalization;

namespace StateForge.Templating.Runtime;

/// <summary>Type conversions and checks: default, mandatory, bool, int, float, abs, round, ternary, type_debug.</summary>
internal static class ConversionFilters
{
    public static void Register(FunctionRegistry r)
    {
        r.Filter("default", "value default_value boolean", Default, lenient: true);
        r.Alias(FunctionTable.FilterPrefix, "d", "default");
        r.Filter("mandatory", "value msg", a => a.Get("value") is Undefined u
            ? throw new JinjaRuntimeException(a.Get("msg") is string m ? m : $"Mandatory variable {u.Message.Replace(" is undefined", " not defined", StringComparison.Ordinal)}.", u.Name)
            : a.Get("value"), lenient: true);
        r.Filter("bool", "value", a => ToBool(a.Get("value")));
        r.Filter("int", "value default base", a => ToInt(a.Get("value"), a.Get("default", 0L), a.Long("base", 10)));
        r.Filter("float", "value default", a => ToFloat(a.Get("value"), a.Get("default", 0.0)));
        r.Filter("abs", "value", a => a.Get("value") switch
        {
            long l => (object)Math.Abs(l),
            double d => Math.Abs(d),
            var v => throw new JinjaRuntimeException($"bad operand type for abs(): '{PyValue.TypeName(v)}'"),
        });
        r.Filter("round", "value precision method", Round);
        r.Filter("ternary", "value true_val false_val none_val", a =>
            a.Get("value") is null && a.Has("none_val") ? a.Get("none_val") : PyValue.Truthy(a.Get("value")) ? a.Required("true_val") : a.Required("false_val"));
        r.Filter("type_debug", "value", a => PyValue.TypeName(a.Get("value")));
    }

    /// <summary>Ansible's to_bool: only true, 'yes', 'on', '1', 'true' (any case) and 1 are true.</summary>
    public static bool ToBool(object? value) => value switch
    {
        bool b => b,
        string s => s.ToLowerInvariant() is "yes" or "on" or "1" or "true",
        long l => l == 1,
        double d => d == 1,
        _ => false,
    };

    private static object? Default(Args a)
    {
        var value = a.Get("value");
        var useDefault = value is Undefined || (a.Has("boolean") && PyValue.Truthy(a.Get("boolean")) && !PyValue.Truthy(value));
        return useDefault ? a.Get("default_value", "") : value;
    }

    private static object? ToInt(object? value, object? fallback, long numberBase)
    {
        switch (value)
        {
            case bool b:
                return b ? 1L : 0L;
            case long:
                return value;
            case double d:
                return double.IsFinite(d) ? (long)Math.Truncate(d) : fallback;
            case string s:
                var t = s.Trim().Replace("_", "", StringComparison.Ordinal);
                if (TryParseInteger(t, numberBase, out var l))
                {
                    return l;
                }

                return numberBase == 10 && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f)
                    ? (long)Math.Truncate(f)
                    : fallback;
            default:
                return fallback;
        }
    }

    private static bool TryParseInteger(string text, long numberBase, out long value)
    {
        value = 0;
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('+', '-');
        var prefix = numberBase switch { 16 => "0x", 8 => "0o", 2 => "0b", _ => null };
        if (prefix is not null && digits.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        if (digits.Length == 0 || numberBase is < 2 or > 36)
        {
            return false;
        }

        try
        {
            foreach (var c in digits.ToLowerInvariant())
            {
                var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetterLower(c) ? c - 'a' + 10 : 99;
                if (digit >= numberBase)
                {
                    return false;
                }

                value = checked((value * numberBase) + digit);
            }
        }
        catch (OverflowException)
        {
            return false;
        }

        value = negative ? -value : value;
        return true;
    }

    private static object? ToFloat(object? value, object? fallback) => value switch
    {
        bool b => b ? 1.0 : 0.0,
        long l => (double)l,
        double => value,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => fallback,
    };

    private static object? Round(Args a)
    {
        var value = PyValue.ToDouble(a.Get("value"), "round");
        var precision = (int)Math.Clamp(a.Long("precision", 0), 0, 15);
        var factor = Math.Pow(10, precision);
        return (a.OptionalString("method") ?? "common") switch
        {
            "common" => Math.Round(value, precision, MidpointRounding.AwayFromZero),
            "ceil" => Math.Ceiling(value * factor) / factor,
            "floor" => Math.Floor(value * factor) / factor,
            var m => throw new JinjaRuntimeException($"round: method must be common, ceil or floor, not '{m}'"),
        };
    }
}
