namespace StateForge.KubeApiServer.Resources;

/// <summary>Query options of a write: dryRun=All, fieldManager, force, and DeleteOptions' parts we honour.</summary>
internal sealed record WriteOptions(
    bool DryRun = false,
    string? FieldManager = null,
    bool Force = false,
    string? PreconditionResourceVersion = null,
    string? PreconditionUid = null,
    bool Orphan = false)
{
    /// <summary>Writes the server's own controllers make.</summary>
    public static readonly WriteOptions Internal = new();
}
