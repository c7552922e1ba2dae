namespace StateForge.Templating.Runtime;

/// <summary>Filters on lists and dicts: join, length, first, last, unique, sort, list, min, max, sum, flatten, set operations, dict2items, combine, …</summary>
internal static class CollectionFilters
{
    public static void Register(FunctionRegistry r)
    {
        r.Filter("join", "value d attribute", a => string.Join(a.OptionalString("d") ?? "", Items(a, "join").Select(x => PyFormat.Str(Attribute(a, x)))));
        r.Filter("length", "value", a => (long)PyValue.Length(a.Get("value")));
        r.Alias(FunctionTable.FilterPrefix, "count", "length");
        r.Filter("first", "value", a => Items(a, "first") is { Count: > 0 } l ? l[0] : new Undefined("first", "No first item, sequence was empty."));
        r.Filter("last", "value", a => Items(a, "last") is { Count: > 0 } l ? l[^1] : new Undefined("last", "No last item, sequence was empty."));
        r.Filter("unique", "value case_sensitive attribute", a => Distinct(Items(a, "unique")));
        r.Filter("sort", "value reverse case_sensitive attribute", Sort);
        r.Filter("list", "value", a => Items(a, "list").ToList());
        r.Filter("reverse", "value", a => a.Get("value") is string s ? new string(s.Reverse().ToArray()) : Items(a, "reverse").Reverse().ToList());
        r.Filter("min", "value attribute case_sensitive", a => Extreme(a, pickMax: false));
        r.Filter("max", "value attribute case_sensitive", a => Extreme(a, pickMax: true));
        r.Filter("sum", "value attribute start", a => Items(a, "sum").Aggregate(a.Get("start", 0L), (acc, x) => PyOps.Add(acc, Attribute(a, x))));
        r.Filter("flatten", "value levels skip_nulls", a => Flatten(Items(a, "flatten"), a.Get("levels") is null ? int.MaxValue : (int)a.Long("levels", 0), !a.Has("skip_nulls") || a.Bool("skip_nulls")));
        r.Filter("difference", "value other", a => Distinct(Items(a, "difference").Where(x => !PyValue.Iterate(a.Required("other")).Any(y => PyOps.Eq(x, y)))));
        r.Filter("intersect", "value other", a => Distinct(Items(a, "intersect").Where(x => PyValue.Iterate(a.Required("other")).Any(y => PyOps.Eq(x, y)))));
        r.Filter("union", "value other", a => Distinct(Items(a, "union").Concat(PyValue.Iterate(a.Required("other")))));
        r.Filter("symmetric_difference", "value other", SymmetricDifference);
        r.Filter("zip", "value *args", a => Zip([Items(a, "zip"), .. a.Rest.Select(PyValue.Iterate)]));
        r.Filter("batch", "value linecount fill_with", Batch);
        r.Filter("dict2items", "value key_name value_name", DictToItems);
        r.Filter("items2dict", "value key_name value_name", ItemsToDict);
        r.Filter("items", "value", a => PyValue.Entries(a.Get("value")).Select(e => (object?)new List<object?> { e.Key, e.Value }).ToList());
        r.Filter("dictsort", "value case_sensitive by reverse", DictSort);
        r.Filter("combine", "value *args recursive list_merge", Combine);
    }

    public static IReadOnlyList<object?> Items(Args a, string filter) => a.Get("value") switch
    {
        null => throw new JinjaRuntimeException($"{filter}: expected a list, got None"),
        var v => PyValue.Iterate(v),
    };

    /// <summary>Follows a dotted attribute path (`a.b.0`), the way Jinja's `attribute=` arguments do.</summary>
    public static object? Path(object? item, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var key = long.TryParse(part, out var index) ? (object)index : part;
            if (!Access.TryItem(item, key, out item) && !Access.TryAttribute(item, part, out item))
            {
                return new Undefined(path, $"'{PyValue.TypeName(item)} object' has no attribute '{path}'");
            }
        }

        return item;
    }

    public static List<object?> Distinct(IEnumerable<object?> items)
    {
        var result = new List<object?>();
        foreach (var x in items)
        {
            if (!result.Any(y => PyOps.Eq(x, y)))
            {
                result.Add(x);
            }
        }

        return result;
    }

    private static object? Attribute(Args a, object? item) =>
        a.OptionalString("attribute") is { } path ? Strict(Path(item, path)) : item;

    private static object? Strict(object? value) => value is Undefined u ? throw u.ToException() : value;

    private static object? SortKey(object? value, bool caseSensitive) =>
        !caseSensitive && value is string s ? s.ToLowerInvariant() : value;

    private static object? Sort(Args a)
    {
        var caseSensitive = a.Bool("case_sensitive");
        var attributes = a.OptionalString("attribute")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        object? Key(object? x) => attributes.Length switch
        {
            0 => SortKey(x, caseSensitive),
            1 => SortKey(Strict(Path(x, attributes[0])), caseSensitive),
            _ => attributes.Select(p => SortKey(Strict(Path(x, p)), caseSensitive)).ToList(),
        };
        var sorted = Items(a, "sort").Select(x => (Key: Key(x), Item: x)).ToList();
        var comparer = Comparer<object?>.Create((x, y) => PyOps.Compare(x, y));
        sorted = [.. sorted.OrderBy(p => p.Key, comparer)];
        if (a.Bool("reverse"))
        {
            sorted.Reverse();
        }

        return sorted.Select(p => p.Item).ToList();
    }

    private static object? Extreme(Args a, bool pickMax)
    {
        var items = Items(a, pickMax ? "max" : "min");
        if (items.Count == 0)
        {
            return new Undefined(pickMax ? "max" : "min", "No aggregated item, sequence was empty.");
        }

        var caseSensitive = a.Bool("case_sensitive");
        var best = items[0];
        foreach (var x in items.Skip(1))
        {
            var c = PyOps.Compare(SortKey(Attribute(a, x), caseSensitive), SortKey(Attribute(a, best), caseSensitive));
            if (pickMax ? c > 0 : c < 0)
            {
                best = x;
            }
        }

        return best;
    }

    private static List<object?> Flatten(IEnumerable<object?> items, int levels, bool skipNulls)
    {
        var result = new List<object?>();
        foreach (var x in items)
        {
            if (x is null && skipNulls)
            {
                continue;
            }

            if (levels > 0 && PyValue.IsSequence(x))
            {
                result.AddRange(Flatten(PyValue.Iterate(x), levels - 1, skipNulls));
            }
            else
            {
                result.Add(x);
            }
        }

        return result;
    }

    private static object? SymmetricDifference(Args a)
    {
        var left = Items(a, "symmetric_difference");
        var right = PyValue.Iterate(a.Required("other"));
        return Distinct(left.Where(x => !right.Any(y => PyOps.Eq(x, y))).Concat(right.Where(y => !left.Any(x => PyOps.Eq(x, y)))));
    }

    private static List<object?> Zip(IReadOnlyList<object?>[] lists) =>
        Enumerable.Range(0, lists.Min(l => l.Count)).Select(i => (object?)lists.Select(l => l[i]).ToList()).ToList();

    private static object? Batch(Args a)
    {
        var size = (int)a.Long("linecount", 1);
        if (size <= 0)
        {
            throw new JinjaRuntimeException("batch: linecount must be positive");
        }

        var batches = Items(a, "batch").Chunk(size).Select(c => c.ToList()).ToList();
        if (a.Has("fill_with") && batches.Count > 0)
        {
            while (batches[^1].Count < size)
            {
                batches[^1].Add(a.Get("fill_with"));
            }
        }

        return batches.Select(b => (object?)b).ToList();
    }

    private static object? DictToItems(Args a)
    {
        var value = a.Get("value");
        if (!PyValue.IsMapping(value))
        {
            throw new JinjaRuntimeException($"dict2items requires a dictionary, got {PyValue.TypeName(value)} instead.");
        }

        var key = a.OptionalString("key_name") ?? "key";
        var name = a.OptionalString("value_name") ?? "value";
        return PyValue.Entries(value).Select(e => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { [key] = e.Key, [name] = e.Value }).ToList();
    }

    private static object? ItemsToDict(Args a)
    {
        var key = a.OptionalString("key_name") ?? "key";
        var name = a.OptionalString("value_name") ?? "value";
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var item in Items(a, "items2dict"))
        {
            if (!PyValue.TryGetKey(item, key, out var k) || !PyValue.TryGetKey(item, name, out var v))
            {
                throw new JinjaRuntimeException($"items2dict requires each item to have '{key}' and '{name}' keys");
            }

            result[PyFormat.Str(k)] = v;
        }

        return result;
    }

    private static object? DictSort(Args a)
    {
        var byValue = (a.OptionalString("by") ?? "key") == "value";
        var caseSensitive = a.Bool("case_sensitive");
        var pairs = PyValue.Entries(a.Get("value"))
            .OrderBy(e => SortKey(byValue ? e.Value : e.Key, caseSensitive), Comparer<object?>.Create((x, y) => PyOps.Compare(x, y)))
            .Select(e => (object?)new List<object?> { e.Key, e.Value })
            .ToList();
        if (a.Bool("reverse"))
        {
            pairs.Reverse();
        }

        return pairs;
    }

    private static object? Combine(Args a)
    {
        var mode = a.OptionalString("list_merge") ?? "replace";
        var result = new Dictionary<string, object?>(PyValue.Entries(a.Get("value")), StringComparer.Ordinal);
        foreach (var other in a.Rest.SelectMany(o => PyValue.IsSequence(o) ? PyValue.Iterate(o) : [o]))
        {
            Merge(result, other, a.Bool("recursive"), mode);
        }

        return result;
    }

    private static void Merge(Dictionary<string, object?> into, object? other, bool recursive, string listMerge)
    {
        foreach (var (key, value) in PyValue.Entries(other))
        {
            into.TryGetValue(key, out var existing);
            if (recursive && PyValue.IsMapping(existing) && PyValue.IsMapping(value))
            {
                var nested = new Dictionary<string, object?>(PyValue.Entries(existing), StringComparer.Ordinal);
                Merge(nested, value, recursive, listMerge);
                into[key] = nested;
            }
            else if (PyValue.IsSequence(existing) && PyValue.IsSequence(value) && listMerge != "replace")
            {
                var (old, add) = (PyValue.Iterate(existing), PyValue.Iterate(value));
                into[key] = listMerge switch
                {
                    "keep" => old,
                    "append" => old.Concat(add).ToList(),
                    "prepend" => add.Concat(old).ToList(),
                    "append_rp" => old.Where(x => !add.Any(y => PyOps.Eq(x, y))).Concat(add).ToList(),
                    "prepend_rp" => add.Concat(old.Where(x => !add.Any(y => PyOps.Eq(x, y)))).ToList(),
                    _ => throw new JinjaRuntimeException($"combine: list_merge must be replace, keep, append, prepend, append_rp or prepend_rp, not '{listMerge}'"),
                };
            }
            else
            {
                into[key] = value;
            }
        }
    }
}
