namespace StateForge.Modules.Host;

[RequiredOneOf("cmd", "argv")]
[MutuallyExclusive("cmd", "argv")]
public sealed record CommandParams
{
    [Param("The command line, split into arguments like a POSIX shell would (quotes, backslashes) but never run by one: " +
           "no pipes, redirections, globs, `;` or `$(...)`. This is what a free-form `command: echo hi` sets.")]
    [FreeForm]
    public string? Cmd { get; init; }

    [Param("The command as a list of arguments, passed to the program exactly as given (no splitting). Use instead of cmd for arguments with spaces or quotes.")]
    public IReadOnlyList<string>? Argv { get; init; }

    [Param("Change into this directory before running the command (and before checking relative creates/removes paths).")]
    public string? Chdir { get; init; }

    [Param("A path or glob; when it exists the command is not run (the task is ok, not changed). Decided from facts, also in check mode.")]
    public string? Creates { get; init; }

    [Param("A path or glob; when it does not exist the command is not run (the task is ok, not changed). Decided from facts, also in check mode.")]
    public string? Removes { get; init; }

    [Param("Text fed to the command's standard input.")]
    public string? Stdin { get; init; }

    [Param("Append a newline to stdin (default true).")]
    public bool StdinAddNewline { get; init; } = true;

    [Param("Strip trailing newlines from stdout and stderr in the result (default true).")]
    public bool StripEmptyEnds { get; init; } = true;

    [Param("Expand `$VAR`, `${VAR}` (from the host's environment, unknown ones left as written) and a leading `~` in each argument, " +
           "as Ansible does (default true). Never runs a shell: `$(...)` and backticks stay literal.")]
    public bool ExpandArgumentVars { get; init; } = true;
}
