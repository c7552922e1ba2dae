namespace StateForge.Modules;

/// <summary>
/// Marks the property that receives a module's free-form arguments: on a string, the task's
/// scalar value (`command: echo hi`); on a dictionary, every key that names no other parameter
/// (`set_fact: {a: 1}`).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class FreeFormAttribute : Attribute;
