namespace StateForge.Templating.Runtime;

/// <summary>The helpers translated expressions are made of: lookups, literals, operators, output, loops and `set`.</summary>
internal static class CoreFunctions
{
    /// <summary>The value of Ansible's `omit`: a parameter rendered to it is left out of the task.</summary>
    public const string OmitPlaceholder = "__omit_place_holder__";

    public static void Register(FunctionRegistry r)
    {
        r.Core("var", "name", (a, scope) => Variable(a.String("name"), scope));
        r.Core("opt", "name", (a, scope) => scope.TryLookup(a.String("name"), out var v) ? v : new Undefined(a.String("name")), lenient: true);
        r.Core("attr", "target name path", (a, _) => Strict(Attribute(a), a.String("path")), lenient: true);
        r.Core("attrl", "target name path", (a, _) => Attribute(a), lenient: true);
        r.Core("item", "target key path", (a, _) => Strict(Item(a), a.String("path")), lenient: true);
        r.Core("iteml", "target key path", (a, _) => Item(a), lenient: true);
        r.Core("slice", "target start stop step", (a, _) => Access.Slice(a.Required("target"), a.Get("start"), a.Get("stop"), a.Get("step")));
        r.Core("list", "*args", (a, _) => a.Rest.ToList());
        r.Core("dict", "*args", (a, _) => Dict(a.Rest));
        r.Core("kw", "*args", (a, _) => Keywords(a.Rest));
        r.Core("float", "text", (a, _) => double.Parse(a.String("text"), System.Globalization.CultureInfo.InvariantCulture));
        r.Core("truthy", "value", (a, _) => PyValue.Truthy(a.Get("value")));
        r.Core("out", "value", (a, _) => PyFormat.Output(a.Get("value")));
        r.Core("iter", "value", (a, _) => PyValue.Iterate(a.Get("value")));
        r.Core("set", "name value", (a, scope) => Set(scope, a.String("name"), a.Get("value")));
        r.Core("setattr", "target name value", (a, _) => SetAttribute(a.Get("target"), a.String("name"), a.Get("value")));
        r.Core("append", "target value", (a, _) => Append(a.Get("target"), a.Get("value")));
        r.Core("push", "", (_, scope) => Do(scope.PushFrame));
        r.Core("pop", "", (_, scope) => Do(scope.PopFrame));
        RegisterOperators(r);
    }

    private static void RegisterOperators(FunctionRegistry r)
    {
        r.Core("add", "a b", (a, _) => PyOps.Add(a.Get("a"), a.Get("b")));
        r.Core("sub", "a b", (a, _) => PyOps.Subtract(a.Get("a"), a.Get("b")));
        r.Core("mul", "a b", (a, _) => PyOps.Multiply(a.Get("a"), a.Get("b")));
        r.Core("div", "a b", (a, _) => PyOps.Divide(a.Get("a"), a.Get("b")));
        r.Core("floordiv", "a b", (a, _) => PyOps.FloorDivide(a.Get("a"), a.Get("b")));
        r.Core("mod", "a b", (a, _) => PyOps.Modulo(a.Get("a"), a.Get("b")));
        r.Core("pow", "a b", (a, _) => PyOps.Power(a.Get("a"), a.Get("b")));
        r.Core("neg", "a", (a, _) => PyOps.Negate(a.Get("a")));
        r.Core("pos", "a", (a, _) => PyOps.Plus(a.Get("a")));
        r.Core("cat", "a b", (a, _) => PyFormat.Str(a.Get("a")) + PyFormat.Str(a.Get("b")));
        r.Core("eq", "a b", (a, _) => PyOps.Eq(a.Get("a"), a.Get("b")));
        r.Core("ne", "a b", (a, _) => !PyOps.Eq(a.Get("a"), a.Get("b")));
        r.Core("lt", "a b", (a, _) => PyOps.Compare(a.Get("a"), a.Get("b"), "<") < 0);
        r.Core("le", "a b", (a, _) => PyOps.Compare(a.Get("a"), a.Get("b"), "<=") <= 0);
        r.Core("gt", "a b", (a, _) => PyOps.Compare(a.Get("a"), a.Get("b"), ">") > 0);
        r.Core("ge", "a b", (a, _) => PyOps.Compare(a.Get("a"), a.Get("b"), ">=") >= 0);
        r.Core("in", "a b", (a, _) => PyOps.In(a.Get("a"), a.Get("b")));
    }

    private static object? Variable(string name, RenderScope scope)
    {
        if (scope.TryLookup(name, out var value))
        {
            return value;
        }

        throw new JinjaRuntimeException($"'{name}' is undefined", name);
    }

    private static object? Strict(object? value, string path) =>
        value is Undefined u ? throw new JinjaRuntimeException(u.Message, u.Name) : value;

    private static object? Attribute(Args a)
    {
        var target = a.Get("target");
        var path = a.String("path");
        return target switch
        {
            Undefined u => u,
            _ when Access.TryAttribute(target, a.String("name"), out var v) => v,
            _ => new Undefined(path, $"'{path}' is undefined ({Describe(target)} has no attribute '{a.String("name")}')"),
        };
    }

    private static object? Item(Args a)
    {
        var target = a.Get("target");
        var path = a.String("path");
        return target switch
        {
            Undefined u => u,
            _ when Access.TryItem(target, a.Get("key"), out var v) => v,
            _ => new Undefined(path, $"'{path}' is undefined ({Describe(target)} has no item {PyFormat.Repr(a.Get("key"))})"),
        };
    }

    private static string Describe(object? target) => target is null ? "None" : $"'{PyValue.TypeName(target)} object'";

    private static Dictionary<string, object?> Dict(IReadOnlyList<object?> pairs)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < pairs.Count; i += 2)
        {
            d[PyFormat.Str(pairs[i])] = pairs[i + 1];
        }

        return d;
    }

    private static KeywordArguments Keywords(IReadOnlyList<object?> pairs)
    {
        var d = new KeywordArguments();
        for (var i = 0; i + 1 < pairs.Count; i += 2)
        {
            d[(string)pairs[i]!] = pairs[i + 1];
        }

        return d;
    }

    private static object? Set(RenderScope scope, string name, object? value)
    {
        scope.Set(name, value);
        return null;
    }

    private static object? SetAttribute(object? target, string name, object? value)
    {
        if (target is not Namespace ns)
        {
            throw new JinjaRuntimeException($"cannot assign attribute '{name}' on a non-namespace object ({PyValue.TypeName(target)})");
        }

        ns[name] = value;
        return null;
    }

    private static object? Append(object? target, object? value)
    {
        ((List<object?>)target!).Add(value);
        return null;
    }

    private static object? Do(Action action)
    {
        action();
        return null;
    }
}

/// <summary>Jinja's `namespace()`: the one mutable object, so loops can carry values out (`{% set ns.found = true %}`).</summary>
internal sealed class Namespace() : Dictionary<string, object?>(StringComparer.Ordinal);
