namespace StateForge.Templating.Runtime;

/// <summary>Jinja's `x.attr` and `x[key]` on plain values, with Python's negative indices and slices.</summary>
internal static class Access
{
    /// <summary>Longest list `range` or a slice may produce.</summary>
    public const int MaxItems = 1_000_000;

    public static bool TryAttribute(object? target, string name, out object? value)
    {
        if (PyValue.IsMapping(target))
        {
            return PyValue.TryGetKey(target, name, out value);
        }

        value = null;
        return false;
    }

    public static bool TryItem(object? target, object? key, out object? value)
    {
        value = null;
        switch (key)
        {
            case Undefined u:
                throw u.ToException();
            case string s when PyValue.IsMapping(target):
                return PyValue.TryGetKey(target, s, out value);
            case long or bool or double when PyValue.IsMapping(target):
                // YAML keys such as `80:` are strings in our model; `ports[80]` still finds them.
                return PyValue.TryGetKey(target, PyFormat.Str(key), out value);
            case long or bool when target is string text:
                var ci = Index(PyValue.ToLong(key, "index"), text.Length);
                value = ci >= 0 ? text[ci].ToString() : null;
                return ci >= 0;
            case long or bool when PyValue.IsSequence(target):
                var list = PyValue.Iterate(target);
                var i = Index(PyValue.ToLong(key, "index"), list.Count);
                value = i >= 0 ? list[i] : null;
                return i >= 0;
            case string when PyValue.IsSequence(target) || target is string:
                throw new JinjaRuntimeException($"{PyValue.TypeName(target)} indices must be integers, not str");
            default:
                return false;
        }
    }

    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        var st = step is null ? 1 : PyValue.ToLong(step, "slice step");
        if (st == 0)
        {
            throw new JinjaRuntimeException("slice step cannot be zero");
        }

        var isString = target is string;
        var items = isString ? null : PyValue.Iterate(target);
        var count = isString ? ((string)target!).Length : items!.Count;
        var (from, to) = Bounds(start, stop, st, count);
        var picked = new List<int>();
        for (var i = from; st > 0 ? i < to : i > to; i += (int)st)
        {
            picked.Add(i);
        }

        return isString
            ? string.Concat(picked.Select(i => ((string)target!)[i]))
            : picked.Select(i => items![i]).ToList();
    }

    private static (int From, int To) Bounds(object? start, object? stop, long step, int count)
    {
        int Clamp(long v, int low, int high) => (int)Math.Clamp(v < 0 ? v + count : v, low, high);
        if (step > 0)
        {
            return (start is null ? 0 : Clamp(PyValue.ToLong(start, "slice start"), 0, count),
                    stop is null ? count : Clamp(PyValue.ToLong(stop, "slice stop"), 0, count));
        }

        return (start is null ? count - 1 : Clamp(PyValue.ToLong(start, "slice start"), -1, count - 1),
                stop is null ? -1 : Clamp(PyValue.ToLong(stop, "slice stop"), -1, count - 1));
    }

    private static int Index(long index, int count)
    {
        var i = index < 0 ? index + count : index;
        return i >= 0 && i < count ? (int)i : -1;
    }
}
