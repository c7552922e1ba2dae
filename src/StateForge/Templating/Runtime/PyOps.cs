namespace StateForge.Templating.Runtime;

/// <summary>Python's operators on plain values: ==, ordering, arithmetic, `in` (Jinja evaluates them this way).</summary>
internal static class PyOps
{
    /// <summary>Longest string or list an operator may build; keeps `'x' * 10**12` from eating memory.</summary>
    public const int MaxLength = 16 * 1024 * 1024;

    public static bool Eq(object? a, object? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (string x, string y):
                return x == y;
            case (string, _) or (_, string):
                return false;
        }

        if (IsNumeric(a) && IsNumeric(b))
        {
            return a is long or bool && b is long or bool ? AsLong(a) == AsLong(b) : AsDouble(a) == AsDouble(b);
        }

        if (PyValue.IsMapping(a) && PyValue.IsMapping(b))
        {
            var left = PyValue.Entries(a).ToList();
            return left.Count == PyValue.Length(b) &&
                   left.All(kv => PyValue.TryGetKey(b, kv.Key, out var other) && Eq(kv.Value, other));
        }

        if (PyValue.IsSequence(a) && PyValue.IsSequence(b))
        {
            var x = PyValue.Iterate(a);
            var y = PyValue.Iterate(b);
            return x.Count == y.Count && x.Zip(y).All(p => Eq(p.First, p.Second));
        }

        return a.Equals(b);
    }

    /// <summary>Python ordering (&lt;, &gt;, sort); comparing unrelated types is an error, as in Python 3.</summary>
    public static int Compare(object? a, object? b, string op = "<")
    {
        if (IsNumeric(a) && IsNumeric(b))
        {
            return a is long or bool && b is long or bool ? AsLong(a).CompareTo(AsLong(b)) : AsDouble(a).CompareTo(AsDouble(b));
        }

        if (a is string x && b is string y)
        {
            return string.CompareOrdinal(x, y);
        }

        if (PyValue.IsSequence(a) && PyValue.IsSequence(b))
        {
            var l = PyValue.Iterate(a);
            var r = PyValue.Iterate(b);
            for (var i = 0; i < Math.Min(l.Count, r.Count); i++)
            {
                var c = Compare(l[i], r[i], op);
                if (c != 0)
                {
                    return c;
                }
            }

            return l.Count.CompareTo(r.Count);
        }

        throw new JinjaRuntimeException($"'{op}' not supported between instances of '{PyValue.TypeName(a)}' and '{PyValue.TypeName(b)}'");
    }

    public static bool In(object? item, object? container) => container switch
    {
        string s when item is string sub => s.Contains(sub, StringComparison.Ordinal),
        string => throw new JinjaRuntimeException($"'in <string>' requires string as left operand, not {PyValue.TypeName(item)}"),
        _ when PyValue.IsMapping(container) => item is string key && PyValue.TryGetKey(container, key, out _),
        _ when PyValue.IsSequence(container) => PyValue.Iterate(container).Any(x => Eq(x, item)),
        _ => throw new JinjaRuntimeException($"argument of type '{PyValue.TypeName(container)}' is not iterable"),
    };

    public static object? Add(object? a, object? b)
    {
        if (a is string x && b is string y)
        {
            return Bounded(x + y);
        }

        if (PyValue.IsSequence(a) && PyValue.IsSequence(b) && a is not string && b is not string)
        {
            return Bounded(PyValue.Iterate(a).Concat(PyValue.Iterate(b)).ToList());
        }

        return Arithmetic(a, b, "+", (l, r) => checked(l + r), (l, r) => l + r);
    }

    public static object? Subtract(object? a, object? b) => Arithmetic(a, b, "-", (l, r) => checked(l - r), (l, r) => l - r);

    public static object? Multiply(object? a, object? b)
    {
        if (a is string or IEnumerable<object?> && b is long or bool && !PyValue.IsMapping(a))
        {
            return Repeat(a, PyValue.ToLong(b, "count"));
        }

        if (b is string or IEnumerable<object?> && a is long or bool && !PyValue.IsMapping(b))
        {
            return Repeat(b, PyValue.ToLong(a, "count"));
        }

        return Arithmetic(a, b, "*", (l, r) => checked(l * r), (l, r) => l * r);
    }

    public static object? Divide(object? a, object? b)
    {
        var d = AsDouble(RequireNumber(b, a, "/"));
        return d == 0 ? throw new JinjaRuntimeException("division by zero") : AsDouble(RequireNumber(a, b, "/")) / d;
    }

    public static object? FloorDivide(object? a, object? b)
    {
        RequireNumber(a, b, "//");
        RequireNumber(b, a, "//");
        if (a is long or bool && b is long or bool)
        {
            var r = AsLong(b);
            return r == 0 ? throw new JinjaRuntimeException("integer division or modulo by zero") : FloorDiv(AsLong(a), r);
        }

        var d = AsDouble(b);
        return d == 0 ? throw new JinjaRuntimeException("float floor division by zero") : Math.Floor(AsDouble(a) / d);
    }

    public static object? Modulo(object? a, object? b)
    {
        if (a is string format)
        {
            return PercentFormat.Format(format, b);
        }

        RequireNumber(a, b, "%");
        RequireNumber(b, a, "%");
        if (a is long or bool && b is long or bool)
        {
            var r = AsLong(b);
            return r == 0 ? throw new JinjaRuntimeException("integer division or modulo by zero") : AsLong(a) - (r * FloorDiv(AsLong(a), r));
        }

        var m = AsDouble(b);
        return m == 0 ? throw new JinjaRuntimeException("float modulo") : AsDouble(a) - (m * Math.Floor(AsDouble(a) / m));
    }

    public static object? Power(object? a, object? b)
    {
        RequireNumber(a, b, "**");
        RequireNumber(b, a, "**");
        if (a is long or bool && b is long or bool && AsLong(b) >= 0)
        {
            var result = System.Numerics.BigInteger.Pow(AsLong(a), (int)Math.Min(AsLong(b), 4096));
            return result >= long.MinValue && result <= long.MaxValue ? (long)result : throw new JinjaRuntimeException("integer result too large");
        }

        return Math.Pow(AsDouble(a), AsDouble(b));
    }

    public static object? Negate(object? a) => a switch
    {
        long l => (object)checked(-l),
        double d => -d,
        bool b => b ? -1L : 0L,
        _ => throw new JinjaRuntimeException($"bad operand type for unary -: '{PyValue.TypeName(a)}'"),
    };

    public static object? Plus(object? a) => IsNumeric(a)
        ? PyValue.Normalize(a is bool b ? (b ? 1L : 0L) : a)
        : throw new JinjaRuntimeException($"bad operand type for unary +: '{PyValue.TypeName(a)}'");

    private static bool IsNumeric(object? v) => v is long or double or bool;

    private static long AsLong(object? v) => v is bool b ? (b ? 1 : 0) : (long)v!;

    private static double AsDouble(object? v) => v switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        _ => (double)v!,
    };

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static object? RequireNumber(object? v, object? other, string op) =>
        IsNumeric(v) ? v : throw Unsupported(op, v, other);

    private static object? Arithmetic(object? a, object? b, string op, Func<long, long, long> integers, Func<double, double, double> doubles)
    {
        if (!IsNumeric(a) || !IsNumeric(b))
        {
            throw Unsupported(op, a, b);
        }

        try
        {
            return a is long or bool && b is long or bool ? (object)integers(AsLong(a), AsLong(b)) : doubles(AsDouble(a), AsDouble(b));
        }
        catch (OverflowException)
        {
            throw new JinjaRuntimeException($"integer overflow in '{op}'");
        }
    }

    private static JinjaRuntimeException Unsupported(string op, object? a, object? b) =>
        new($"unsupported operand type(s) for {op}: '{PyValue.TypeName(a)}' and '{PyValue.TypeName(b)}'");

    private static object? Repeat(object? value, long count)
    {
        count = Math.Max(0, count);
        if (value is string s)
        {
            return (long)s.Length * count > MaxLength ? throw TooLong() : string.Concat(Enumerable.Repeat(s, (int)count));
        }

        var items = PyValue.Iterate(value);
        return (long)items.Count * count > MaxLength ? throw TooLong() : Enumerable.Repeat(items, (int)count).SelectMany(x => x).ToList();
    }

    private static T Bounded<T>(T value) => value switch
    {
        string s when s.Length > MaxLength => throw TooLong(),
        List<object?> l when l.Count > MaxLength => throw TooLong(),
        _ => value,
    };

    private static JinjaRuntimeException TooLong() => new($"result would be longer than {MaxLength} items");
}
