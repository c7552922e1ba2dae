namespace StateForge.Modules.Host;

public enum ExportsState
{
    Present,
    Absent,
}

public sealed record ExportsParams
{
    [Param("The exported directory (absolute).", Required = true, Aliases = ["name"])]
    public string Path { get; init; } = "";

    [Param("Who may mount it, with options (required with state present): a list of `host(options)` strings " +
           "('*(rw,sync,all_squash)', '10.0.0.0/24(ro)') and/or mappings {host: H, options: 'rw,sync' or a list}; one string " +
           "may also hold several clients separated by spaces. Option names are checked against exports(5).")]
    public object? Clients { get; init; }

    [Param("present: the file has exactly one line for the path, with these clients; absent: no line for the path.")]
    public ExportsState State { get; init; } = ExportsState.Present;

    [Param("The exports file: /etc/exports or /etc/exports.d/NAME.exports (the files exportfs reads).")]
    public string File { get; init; } = "/etc/exports";

    [Param("Keep the live export table in step: check `exportfs -v` for the path (its own drift) and run `exportfs -ra` after a change.")]
    public bool Reload { get; init; } = true;
}
