using System.Collections.Immutable;
using System.Reflection;
using System.Text;

namespace StateForge.Modules;

/// <summary>One parameter of a module, read from its params record by reflection.</summary>
public sealed record ModuleParameter(
    string Name,
    PropertyInfo Property,
    ParamAttribute Doc,
    bool IsFreeForm,
    object? DefaultValue)
{
    public Type Type => Property.PropertyType;

    public IEnumerable<string> AllNames => Doc.Aliases.Prepend(Name);

    /// <summary>The choices a value must be one of: an enum's names, or the attribute's list.</summary>
    public ImmutableArray<string> Choices =>
        Nullable.GetUnderlyingType(Type) is { IsEnum: true } n ? EnumNames(n)
        : Type.IsEnum ? EnumNames(Type)
        : [.. Doc.Choices];

    public string TypeName => ParameterSchema.Describe(Type);

    private static ImmutableArray<string> EnumNames(Type t) => [.. Enum.GetNames(t).Select(ParameterSchema.SnakeCase)];
}

/// <summary>A module's parameters, by name and alias.</summary>
public sealed class ParameterSchema
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, ParameterSchema> Cache = new();

    private ParameterSchema(Type type)
    {
        Type = type;
        var defaults = Activator.CreateInstance(type);
        Parameters = [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<ParamAttribute>() is not null)
            .Select(p => new ModuleParameter(SnakeCase(p.Name), p, p.GetCustomAttribute<ParamAttribute>()!, p.GetCustomAttribute<FreeFormAttribute>() is not null, p.GetValue(defaults)))];
        ByName = Parameters.SelectMany(p => p.AllNames.Select(n => (n, p))).ToImmutableDictionary(x => x.n, x => x.p, StringComparer.Ordinal);
        MutuallyExclusive = [.. type.GetCustomAttributes<MutuallyExclusiveAttribute>().Select(a => a.Names)];
        RequiredOneOf = [.. type.GetCustomAttributes<RequiredOneOfAttribute>().Select(a => a.Names)];
    }

    public Type Type { get; }

    public ImmutableArray<ModuleParameter> Parameters { get; }

    public ImmutableDictionary<string, ModuleParameter> ByName { get; }

    public ImmutableArray<IReadOnlyList<string>> MutuallyExclusive { get; }

    public ImmutableArray<IReadOnlyList<string>> RequiredOneOf { get; }

    public ModuleParameter? FreeForm => Parameters.FirstOrDefault(p => p.IsFreeForm);

    public static ParameterSchema For(Type type) => Cache.GetOrAdd(type, t => new ParameterSchema(t));

    public static string SnakeCase(string pascal)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    public static string Describe(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(string))
        {
            return "string";
        }

        if (t == typeof(bool))
        {
            return "boolean";
        }

        if (t == typeof(int) || t == typeof(long))
        {
            return "integer";
        }

        if (t == typeof(double))
        {
            return "number";
        }

        if (t.IsEnum)
        {
            return "string";
        }

        if (IsDictionary(t))
        {
            return "mapping";
        }

        if (ElementType(t) is { } e)
        {
            return $"list of {Describe(e)}";
        }

        return t == typeof(object) ? "any" : "mapping";
    }

    public static bool IsDictionary(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition() is var g &&
        (g == typeof(IReadOnlyDictionary<,>) || g == typeof(IDictionary<,>) || g == typeof(Dictionary<,>) || g == typeof(ImmutableDictionary<,>));

    public static Type? ElementType(Type t)
    {
        if (t == typeof(string) || !t.IsGenericType)
        {
            return null;
        }

        var g = t.GetGenericTypeDefinition();
        return g == typeof(IReadOnlyList<>) || g == typeof(ImmutableArray<>) || g == typeof(List<>) || g == typeof(IList<>) || g == typeof(IEnumerable<>)
            ? t.GetGenericArguments()[0]
            : null;
    }

    public static bool IsRecord(Type t) =>
        t.IsClass && t != typeof(string) && t != typeof(object) && !IsDictionary(t) && ElementType(t) is null &&
        t.GetProperties().Any(p => p.GetCustomAttribute<ParamAttribute>() is not null);
}
