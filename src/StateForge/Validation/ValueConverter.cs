using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using StateForge.Modules;

namespace StateForge.Validation;

/// <summary>A problem converting one value; Path says where in the arguments (e.g. `clients[1].host`).</summary>
public sealed record ConversionError(string Path, string Message, ConversionErrorKind Kind = ConversionErrorKind.Type);

public enum ConversionErrorKind
{
    Type,
    Unknown,
    Required,
    Choice,
    Exclusive,
    Rule,
}

/// <summary>
/// Turns plain values (from YAML or templates) into module parameter records, with Ansible's
/// coercions ('yes' is a boolean, "5" an integer, a comma list a list). In lenient mode a value
/// still holding `{{ }}` is accepted as is: it is checked again once rendered.
/// </summary>
public static class ValueConverter
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<PropertyInfo, bool> AcceptsNull = new();

    public static object? BindRecord(Type recordType, IReadOnlyDictionary<string, object?> args, string prefix, List<ConversionError> errors, bool lenient)
    {
        var schema = ParameterSchema.For(recordType);
        var values = new Dictionary<ModuleParameter, object?>();
        Dictionary<string, object?>? freeForm = schema.FreeForm is { } ff && ParameterSchema.IsDictionary(ff.Type) ? new(StringComparer.Ordinal) : null;
        foreach (var (key, value) in args)
        {
            if (value is Templating.ScribanTemplateEngine.OmitPlaceholder)
            {
                // `| default(omit)`: the parameter is left out, as if never written.
                continue;
            }

            if (!schema.ByName.TryGetValue(key, out var p))
            {
                if (freeForm is not null)
                {
                    freeForm[key] = value;
                    continue;
                }

                var near = Diagnostics.Suggestions.Nearest(key, schema.ByName.Keys);
                errors.Add(new ConversionError(prefix + key, near ?? "", ConversionErrorKind.Unknown));
                continue;
            }

            if (values.ContainsKey(p))
            {
                errors.Add(new ConversionError(prefix + key, $"'{key}' and another alias of '{p.Name}' are both set", ConversionErrorKind.Rule));
                continue;
            }

            values[p] = Convert(value, p.Type, prefix + key, errors, lenient, p);
        }

        if (freeForm is not null)
        {
            values[schema.FreeForm!] = freeForm.ToImmutableDictionary(StringComparer.Ordinal);
        }

        // A required parameter written as null (`path:` or `path: ~`) is as missing as one left out.
        foreach (var p in schema.Parameters.Where(p => p.Doc.Required && (!values.ContainsKey(p) || args.Any(a => a.Value is null && schema.ByName.GetValueOrDefault(a.Key) == p))))
        {
            errors.Add(new ConversionError(prefix + p.Name, $"requires parameter '{p.Name}'", ConversionErrorKind.Required));
        }

        bool Given(string name) => schema.ByName.TryGetValue(name, out var p) && values.TryGetValue(p, out var v) && v is not null;
        foreach (var group in schema.MutuallyExclusive.Where(g => g.Count(Given) > 1))
        {
            errors.Add(new ConversionError(prefix.TrimEnd('.'), $"parameters {string.Join(", ", group)} are mutually exclusive", ConversionErrorKind.Exclusive));
        }

        foreach (var group in schema.RequiredOneOf.Where(g => !g.Any(Given)))
        {
            errors.Add(new ConversionError(prefix.TrimEnd('.'), $"one of {string.Join(", ", group)} is required", ConversionErrorKind.Required));
        }

        var record = Activator.CreateInstance(recordType)!;
        foreach (var (p, v) in values)
        {
            // Null leaves a non-nullable property at its default, so modules never see a null they did not declare.
            if (v is not null || (!p.Type.IsValueType && AcceptsNull.GetOrAdd(p.Property, q => new NullabilityInfoContext().Create(q).WriteState != NullabilityState.NotNull)) || Nullable.GetUnderlyingType(p.Type) is not null)
            {
                SetInitProperty(p.Property, record, v);
            }
        }

        return record;
    }

    public static object? Convert(object? value, Type target, string path, List<ConversionError> errors, bool lenient, ModuleParameter? parameter = null)
    {
        var nullable = Nullable.GetUnderlyingType(target);
        var t = nullable ?? target;
        if (value is null)
        {
            return null;
        }

        if (lenient && value is string s0 && (s0.Contains("{{", StringComparison.Ordinal) || s0.Contains("{%", StringComparison.Ordinal)))
        {
            return t == typeof(string) ? s0 : null;
        }

        string Actual() => value switch
        {
            string => "a string",
            bool => "a boolean",
            long or int => "an integer",
            double => "a number",
            IDictionary => "a mapping",
            IList => "a list",
            _ => value.GetType().Name,
        };

        object? Fail(string expected)
        {
            errors.Add(new ConversionError(path, $"must be {expected}, not {Actual()}"));
            return null;
        }

        if (t == typeof(object))
        {
            return value;
        }

        if (t == typeof(string))
        {
            if (parameter?.Doc.IsMode == true && value is long or int)
            {
                errors.Add(new ConversionError(path, $"mode given as the number {value}; quote it ('0644') or use a symbolic mode", ConversionErrorKind.Rule));
                return null;
            }

            var text = value switch
            {
                string str => str,
                bool b => b ? "True" : "False",
                long or int or double => System.Convert.ToString(value, CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is null)
            {
                return Fail("a string");
            }

            var choices = parameter?.Choices ?? [];
            if (choices.Length > 0 && !choices.Contains(text))
            {
                errors.Add(new ConversionError(path, $"must be one of {string.Join(", ", choices)}; got '{text}'", ConversionErrorKind.Choice));
                return null;
            }

            return text;
        }

        if (t == typeof(bool))
        {
            return value switch
            {
                bool b => b,
                string str when Parsing.ScalarResolver.TryBool(str.Trim(), out var b) => b,
                // Ansible's boolean(): also 1/0, y/n, t/f in any case.
                string str when str.Trim().ToLowerInvariant() is "1" or "y" or "t" => true,
                string str when str.Trim().ToLowerInvariant() is "0" or "n" or "f" => false,
                long l when l is 0 or 1 => l == 1,
                _ => Fail("a boolean"),
            };
        }

        if (t == typeof(int) || t == typeof(long) || t == typeof(double))
        {
            double? number = value switch
            {
                long l => l,
                int i => i,
                double d => d,
                string str when double.TryParse(str.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                _ => null,
            };
            if (number is null || (t != typeof(double) && number != Math.Floor(number.Value)))
            {
                return Fail(t == typeof(double) ? "a number" : "an integer");
            }

            return t == typeof(int) ? (object)(int)number.Value : t == typeof(long) ? (long)number.Value : number.Value;
        }

        if (t.IsEnum)
        {
            var text = System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            foreach (var name in Enum.GetNames(t))
            {
                if (ParameterSchema.SnakeCase(name) == text || string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                {
                    return Enum.Parse(t, name);
                }
            }

            errors.Add(new ConversionError(path, $"must be one of {string.Join(", ", Enum.GetNames(t).Select(ParameterSchema.SnakeCase))}; got '{text}'", ConversionErrorKind.Choice));
            return null;
        }

        if (ParameterSchema.IsDictionary(t))
        {
            if (value is not IDictionary<string, object?> dict)
            {
                return Fail("a mapping");
            }

            var valueType = t.GetGenericArguments()[1];
            var converted = dict.ToImmutableDictionary(kv => kv.Key, kv => Convert(kv.Value, valueType, $"{path}.{kv.Key}", errors, lenient), StringComparer.Ordinal);
            return valueType == typeof(object)
                ? converted
                : MakeDictionary(valueType, converted);
        }

        if (ParameterSchema.ElementType(t) is { } element)
        {
            IEnumerable<object?> items = value switch
            {
                IList list => list.Cast<object?>(),
                string str when element == typeof(string) || ParameterSchema.IsRecord(element) is false => str.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                _ => [value],
            };
            var converted = items.Select((item, i) => Convert(item, element, $"{path}[{i}]", errors, lenient, parameter)).ToList();
            return MakeList(t, element, converted);
        }

        if (ParameterSchema.IsRecord(t))
        {
            if (value is not IDictionary<string, object?> dict)
            {
                return Fail("a mapping");
            }

            return BindRecord(t, dict.AsReadOnly(), path + ".", errors, lenient);
        }

        return Fail(ParameterSchema.Describe(t));
    }

    private static object MakeList(Type listType, Type element, List<object?> items)
    {
        var typed = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var item in items)
        {
            if (item is not null || !element.IsValueType)
            {
                typed.Add(item);
            }
        }

        if (listType.IsGenericType && listType.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            var create = typeof(ImmutableArray).GetMethods()
                .First(m => m.Name == nameof(ImmutableArray.CreateRange) && m.GetParameters().Length == 1)
                .MakeGenericMethod(element);
            return create.Invoke(null, [typed])!;
        }

        return typed;
    }

    private static object MakeDictionary(Type valueType, ImmutableDictionary<string, object?> items)
    {
        var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        foreach (var (k, v) in items)
        {
            dict[k] = v;
        }

        return dict;
    }

    private static void SetInitProperty(PropertyInfo property, object target, object? value)
    {
        if (value is not null && !property.PropertyType.IsInstanceOfType(value))
        {
            return;
        }

        property.SetValue(target, value);
    }
}
