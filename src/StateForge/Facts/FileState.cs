namespace StateForge.Facts;

public enum FileKind
{
    Absent,
    File,
    Directory,
    Link,
    Other,
}

/// <summary>What is at a path on a host. Content is known only when a probe asked for it.</summary>
public sealed record FileState(
    FileKind Kind,
    string Owner = "",
    string Group = "",
    string Mode = "",
    long Size = 0,
    string? LinkTarget = null,
    string? Sha256 = null,
    byte[]? Content = null)
{
    public static readonly FileState Absent = new(FileKind.Absent);

    public bool Exists => Kind != FileKind.Absent;

    public bool ContentKnown => Content is not null || Kind != FileKind.File;

    public string? Text => Content is null ? null : System.Text.Encoding.UTF8.GetString(Content);

    /// <summary>The state a planned rewrite leaves: the same owner and mode (root's and the given mode for a new file), the new content.</summary>
    public FileState Rewritten(byte[] content, string newFileMode = "0644") => new(
        FileKind.File,
        Exists ? Owner : "root",
        Exists ? Group : "root",
        Exists ? Mode : newFileMode,
        content.Length,
        Sha256: Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)),
        Content: content);
}
