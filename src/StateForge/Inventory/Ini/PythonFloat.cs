using System.Globalization;

namespace StateForge.Inventory.Ini;

/// <summary>
/// Python's repr() of a float (1.0, 0.0001, 1e-05, 1e+16), so values print as Ansible prints
/// them: the shortest digits that round-trip, fixed notation for decimal exponents -4 to 15.
/// </summary>
internal static class PythonFloat
{
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        var (digits, point) = ShortestDigits(Math.Abs(value));
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }

        if (point > -4 && point <= 16)
        {
            return sign + Fixed(digits, point);
        }

        var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
        var exponent = point - 1;
        return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
    }

    private static string Fixed(string digits, int point)
    {
        if (point <= 0)
        {
            return "0." + new string('0', -point) + digits;
        }

        return point >= digits.Length
            ? digits + new string('0', point - digits.Length) + ".0"
            : $"{digits[..point]}.{digits[point..]}";
    }

    /// <summary>Significant digits and the decimal point's place: value = 0.DIGITS × 10^point.</summary>
    private static (string Digits, int Point) ShortestDigits(double value)
    {
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = r.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var integer = dot >= 0 ? r[..dot] : r;
        var fraction = dot >= 0 ? r[(dot + 1)..] : "";
        var digits = integer + fraction;
        var point = integer.Length + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        return (digits.Trim('0').Length == 0 ? "" : digits[leading..].TrimEnd('0'), point - leading);
    }
}
