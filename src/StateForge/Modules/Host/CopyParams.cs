namespace StateForge.Modules.Host;

[RequiredOneOf("src", "content")]
[MutuallyExclusive("src", "content")]
public sealed record CopyParams
{
    [Param("Remote path to write. Ending in / or naming an existing directory: the file goes inside it, named after src.", Required = true)]
    public string Dest { get; init; } = "";

    [Param("Local file on the controller to copy; a relative path is looked up in the role's files/ and the playbook's directories.")]
    public string? Src { get; init; }

    [Param("The file's content, written as given (UTF-8); use instead of src.")]
    public string? Content { get; init; }

    [Param("User that should own the file (name or uid). Default: the existing file's, else the connection user.")]
    public string? Owner { get; init; }

    [Param("Group that should own the file (name or gid). Default: the existing file's.")]
    public string? Group { get; init; }

    [Param("Permissions, octal as a quoted string ('0644') or symbolic ('u=rw,g=r'); preserve takes the src file's mode. " +
           "Default: the existing file's, else 0666 minus the umask.", IsMode = true)]
    public string? Mode { get; init; }

    [Param("Keep the old file as dest.PID.YYYY-MM-DD@HH:MM:SS~ before replacing it; registered as backup_file.")]
    public bool Backup { get; init; }

    [Param("Replace a file whose content differs (default true); with false an existing dest is left alone entirely.")]
    public bool Force { get; init; } = true;

    [Param("Mode of directories created for a dest ending in /. Default: 0777 minus the umask.", IsMode = true)]
    public string? DirectoryMode { get; init; }

    [Param("Command that checks the new file before it replaces dest, e.g. 'visudo -cf %s' (%s is the temp file; no shell). A failure keeps the old file.")]
    public string? Validate { get; init; }
}
