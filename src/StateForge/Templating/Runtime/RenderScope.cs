using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace StateForge.Templating.Runtime;

/// <summary>
/// The variables one render sees: the task's variables (read-only) under frames of names the
/// template sets itself (`{% set %}`, loop scopes). As Scriban's only global it also resolves
/// the translated template's helper functions, so no Scriban builtin is reachable.
/// </summary>
internal sealed class RenderScope(IReadOnlyDictionary<string, object?> variables, Func<string, object?, object?>? resolve = null) : IScriptObject
{
    private readonly List<Dictionary<string, object?>> frames = [new(StringComparer.Ordinal)];

    public int Count => 0;

    public bool IsReadOnly { get => false; set { } }

    public bool TryLookup(string name, out object? value)
    {
        for (var i = frames.Count - 1; i >= 0; i--)
        {
            if (frames[i].TryGetValue(name, out value))
            {
                return true;
            }
        }

        if (variables.TryGetValue(name, out value))
        {
            // A variable whose value holds templates ({{ playbook_dir }}/x) is rendered when used, as Ansible does.
            value = resolve is null ? value : resolve(name, value);
            return true;
        }

        value = CoreFunctions.OmitPlaceholder;
        return name == "omit";
    }

    public void Set(string name, object? value) => frames[^1][name] = value;

    public void PushFrame() => frames.Add(new Dictionary<string, object?>(StringComparer.Ordinal));

    public void PopFrame()
    {
        if (frames.Count > 1)
        {
            frames.RemoveAt(frames.Count - 1);
        }
    }

    public IEnumerable<string> GetMembers() => [];

    public bool Contains(string member) => FunctionTable.Functions.ContainsKey(member) || TryLookup(member, out _);

    public bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        if (FunctionTable.Functions.TryGetValue(member, out var function))
        {
            value = function;
            return true;
        }

        // Only names the translator made itself (capture targets) get here.
        return TryLookup(member, out value);
    }

    public bool CanWrite(string member) => true;

    public bool TrySetValue(TemplateContext? context, SourceSpan span, string member, object? value, bool readOnly)
    {
        Set(member, PyValue.Normalize(value));
        return true;
    }

    public bool Remove(string member) => frames[^1].Remove(member);

    public void SetReadOnly(string member, bool readOnly)
    {
    }

    public IScriptObject Clone(bool deep) => throw new NotSupportedException("a render scope is not cloned");
}
