namespace StateForge.Planning;

public enum ChangeAction
{
    None,
    Create,
    Modify,
    Delete,
    Run,
}

/// <summary>One difference between desired and actual state, with a human diff.</summary>
public sealed record ResourceChange(string Resource, ChangeAction Action, object? Before = null, object? After = null, string? Diff = null)
{
    public bool IsChange => Action != ChangeAction.None;

    public static ResourceChange NoChange(string resource) => new(resource, ChangeAction.None);
}
