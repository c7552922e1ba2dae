namespace StateForge.Modules.Host;

public sealed record FileParams
{
    [Param("Path to the file, directory or link being managed.", Required = true, Aliases = ["dest", "name"])]
    public string Path { get; init; } = "";

    [Param("What should be at path. file: only sets attributes of an existing file (fails when absent); directory: creates it and " +
           "missing parents (mkdir -p); absent: removes it, recursively for directories; touch: creates an empty file or updates " +
           "its times (always a change unless both times are preserve); link: a symbolic link to src; hard: a hard link to src. " +
           "Default: what is there now, else directory with recurse, else file.",
           Choices = ["absent", "directory", "file", "hard", "link", "touch"])]
    public string? State { get; init; }

    [Param("User that should own the path (name or uid).")]
    public string? Owner { get; init; }

    [Param("Group that should own the path (name or gid).")]
    public string? Group { get; init; }

    [Param("Permissions, octal as a quoted string ('0644', '1777') or symbolic ('u=rw,g=r,o=', 'a+X'), resolved against the current mode.", IsMode = true)]
    public string? Mode { get; init; }

    [Param("With state directory: also set owner, group and mode on everything below path (symlinks below are changed themselves, never followed).")]
    public bool Recurse { get; init; }

    [Param("With state link: the link's target, as written (relative paths are relative to the link's directory). With state hard: the existing file to link to.")]
    public string? Src { get; init; }

    [Param("With state link: create the link even if src does not exist, and replace a file or an empty directory at path. " +
           "With state hard: replace a different file at path.")]
    public bool Force { get; init; }

    [Param("Follow a symlink at path and act on its target (default true); with false, owner and group apply to the link itself.")]
    public bool Follow { get; init; } = true;

    [Param("now or preserve: whether to set the modification time. Default: now for touch, preserve otherwise.", Choices = ["now", "preserve"])]
    public string? ModificationTime { get; init; }

    [Param("now or preserve: whether to set the access time. Default: now for touch, preserve otherwise.", Choices = ["now", "preserve"])]
    public string? AccessTime { get; init; }
}
