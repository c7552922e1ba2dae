namespace StateForge.Modules;

/// <summary>Registers a module under its short name and the FQCNs of the Ansible modules it mirrors.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModuleAttribute(string name, params string[] aliases) : Attribute
{
    public string Name { get; } = name;

    public IReadOnlyList<string> Aliases { get; } = aliases;

    public required string Description { get; init; }
}

/// <summary>Documents one parameter; the parameter's name is the property name in snake_case.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ParamAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    public bool Required { get; init; }

    public string[] Aliases { get; init; } = [];

    /// <summary>Allowed values for a string parameter (enums list their own).</summary>
    public string[] Choices { get; init; } = [];

    /// <summary>A file mode: unquoted YAML integers are refused (they mean something else).</summary>
    public bool IsMode { get; init; }

    /// <summary>Never printed: hidden in output, diffs and reports.</summary>
    public bool Secret { get; init; }
}

/// <summary>Parameters of which at most one may be given.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MutuallyExclusiveAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}

/// <summary>Parameters of which exactly one must be given.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RequiredOneOfAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
