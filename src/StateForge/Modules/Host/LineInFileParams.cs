namespace StateForge.Modules.Host;

[MutuallyExclusive("insertbefore", "insertafter")]
[MutuallyExclusive("regexp", "search_string")]
[MutuallyExclusive("backrefs", "search_string")]
public sealed record LineInFileParams
{
    [Param("The file to edit.", Required = true, Aliases = ["dest", "destfile", "name"])]
    public string Path { get; init; } = "";

    [Param("The line to insert or replace with (required for state present). With backrefs it may use \\1 or \\g<name> from regexp.", Aliases = ["value"])]
    public string? Line { get; init; }

    [Param("A regular expression searched in every line (Python syntax: (?P<name>...) works). present: the last matching line is replaced " +
           "(the first with firstmatch); without a match the line is inserted per insertafter/insertbefore. absent: every matching line is removed.",
           Aliases = ["regex"])]
    public string? Regexp { get; init; }

    [Param("A literal string searched in every line, instead of regexp; same rules.")]
    public string? SearchString { get; init; }

    [Param("Whether the line should be there (present, default) or not (absent).", Choices = ["present", "absent"])]
    public string State { get; init; } = "present";

    [Param("Insert after the last line matching this regular expression (the first with firstmatch); EOF (default) appends. " +
           "Used only when regexp/search_string match nothing; if nothing matches it either, the line is appended.")]
    public string? Insertafter { get; init; }

    [Param("Insert before the last line matching this regular expression (the first with firstmatch); BOF inserts at the top. " +
           "Used only when regexp/search_string match nothing; if nothing matches it either, the line is appended.")]
    public string? Insertbefore { get; init; }

    [Param("Create the file when it does not exist (state present); otherwise a missing file fails the task.")]
    public bool Create { get; init; }

    [Param("Keep the old file as path.PID.YYYY-MM-DD@HH:MM:SS~ before changing it; registered as backup.")]
    public bool Backup { get; init; }

    [Param("Expand backreferences of regexp in line; when regexp matches nothing the file is left unchanged (no insertion).")]
    public bool Backrefs { get; init; }

    [Param("insertafter/insertbefore (and regexp/search_string) act on the first matching line instead of the last.")]
    public bool Firstmatch { get; init; }

    [Param("User that should own the file (name or uid).")]
    public string? Owner { get; init; }

    [Param("Group that should own the file (name or gid).")]
    public string? Group { get; init; }

    [Param("Permissions, octal as a quoted string ('0644') or symbolic ('u=rw,g=r').", IsMode = true)]
    public string? Mode { get; init; }

    [Param("Command that checks the edited file before it replaces the old one, e.g. 'visudo -cf %s' (%s is the temp file; no shell).")]
    public string? Validate { get; init; }
}
