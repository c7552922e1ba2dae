using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Modules.Host;

[Module("command", "ansible.builtin.command", Description = "Runs a program with arguments on the host, without a shell; creates/removes make it idempotent.")]
public sealed class CommandModule : Module<CommandParams>
{
    private const string EndMarker = "\n@@SFEND ";
    private const string DateFormat = "%Y-%m-%d %H:%M:%S.%6N";

    public override string Examples => """
        - name: Initialise the database once
          command: /usr/bin/initdb -D /var/lib/pgsql/data
          args:
            creates: /var/lib/pgsql/data/PG_VERSION

        - name: Arguments with spaces, passed as they are
          command:
            argv: [/usr/bin/logger, -t, deploy, "release 1.2 installed"]

        - name: Run in a directory, feeding stdin
          command:
            cmd: ./configure --prefix=/opt/app
            chdir: /usr/src/app
            stdin: "yes"
          register: configure

        - name: Only when the old file is still there
          command: mv /etc/app.conf.rpmnew /etc/app.conf
          args:
            removes: /etc/app.conf.rpmnew
        """;

    protected override IEnumerable<string> Validate(CommandParams parameters)
    {
        if (parameters.Cmd is not null && parameters.Argv is not null)
        {
            yield return "only command or argv can be given, not both";
            yield break;
        }

        string? error = null;
        IReadOnlyList<string>? argv = parameters.Argv;
        if (parameters.Cmd is not null && !Shlex.TrySplit(parameters.Cmd, out var split, out error))
        {
            yield return $"cmd cannot be split into arguments: {error}";
            yield break;
        }

        argv ??= parameters.Cmd is null ? null : Shlex.Split(parameters.Cmd);
        if (argv is null || argv.Count == 0 || argv[0].Length == 0)
        {
            yield return "no command given";
        }
        else if (argv[0].StartsWith('-'))
        {
            yield return $"the command name cannot start with '-': {argv[0]}";
        }
    }

    protected override IEnumerable<FactProbe> Probes(CommandParams parameters)
    {
        foreach (var path in new[] { parameters.Creates, parameters.Removes })
        {
            if (path is not null)
            {
                yield return ExistsProbe(Resolve(path, parameters.Chdir));
            }
        }
    }

    protected override async ValueTask<TaskPlan> PlanAsync(CommandParams parameters, PlanContext context, CancellationToken cancellationToken)
    {
        var argv = Argv(parameters);
        var should = context.CheckMode ? "Would" : "Did";
        if (parameters.Creates is { } creates && await ExistsAsync(context.Facts, Resolve(creates, parameters.Chdir), cancellationToken).ConfigureAwait(false))
        {
            return NotRun(argv, $"{should} not run command since '{creates}' exists", $"skipped, since {creates} exists");
        }

        if (parameters.Removes is { } removes && !await ExistsAsync(context.Facts, Resolve(removes, parameters.Chdir), cancellationToken).ConfigureAwait(false))
        {
            return NotRun(argv, $"{should} not run command since '{removes}' does not exist", $"skipped, since {removes} does not exist");
        }

        var display = Shell.Command(argv);
        var result = ImmutableDictionary<string, object?>.Empty.Add("cmd", ToList(argv));
        if (context.CheckMode)
        {
            result = result.Add("rc", 0L).Add("msg", "Command would have run if not in check mode");
        }

        return new TaskPlan
        {
            Changes = [new ResourceChange("command: " + display, ChangeAction.Run, After: display)],
            Steps = [new RemoteStep("run " + display, Script(parameters, argv))],
            NeedsExecution = true,
            Result = result,
        };
    }

    protected override TaskPlan Complete(CommandParams parameters, TaskPlan plan, IReadOnlyList<StepResult> results)
    {
        if (results.Count == 0)
        {
            return plan;
        }

        var r = results[0];
        var argv = Argv(parameters);
        var end = r.Stdout.LastIndexOf(EndMarker, StringComparison.Ordinal);
        var firstLine = r.Stdout.IndexOf('\n', StringComparison.Ordinal);
        if (end < 0 || firstLine < 0 || firstLine > end)
        {
            // The command never started: chdir or the stdin pipe failed.
            var why = r.Stderr.Trim();
            return plan with
            {
                Failed = true,
                Message = parameters.Chdir is not null ? $"Unable to change directory before execution: {why}" : $"could not start the command: {why}",
                Result = plan.Result.SetItem("rc", (long)r.ExitCode).SetItem("msg", why),
            };
        }

        var start = ParseTime(r.Stdout[..firstLine]);
        var finish = ParseTime(r.Stdout[(end + EndMarker.Length)..].Trim());
        var stdout = r.Stdout[(firstLine + 1)..end];
        var stderr = r.Stderr;
        if (parameters.StripEmptyEnds)
        {
            stdout = stdout.TrimEnd('\r', '\n');
            stderr = stderr.TrimEnd('\r', '\n');
        }

        var failed = r.ExitCode != 0;
        var result = plan.Result
            .SetItem("cmd", ToList(argv))
            .SetItem("rc", (long)r.ExitCode)
            .SetItem("stdout", stdout)
            .SetItem("stderr", stderr)
            .SetItem("stdout_lines", ToList(SplitLines(stdout)))
            .SetItem("stderr_lines", ToList(SplitLines(stderr)))
            .SetItem("start", start?.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture))
            .SetItem("end", finish?.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture))
            .SetItem("delta", start is { } s && finish is { } f ? Delta(f - s) : null)
            .SetItem("msg", failed ? "non-zero return code" : "");
        return plan with
        {
            Result = result,
            Failed = failed,
            Message = failed ? (stderr.Trim().Length > 0 ? stderr.Trim() : $"non-zero return code {r.ExitCode}") : plan.Message,
        };
    }

    internal static IReadOnlyList<string> Argv(CommandParams parameters) =>
        parameters.Argv ?? Shlex.Split(parameters.Cmd ?? "");

    /// <summary>
    /// The step: print the start time, run the program with `exec` in a subshell (so a name like
    /// `eval` or `exit` is looked up as a program, never run as a shell builtin), print the end time.
    /// </summary>
    internal static string Script(CommandParams parameters, IReadOnlyList<string> argv)
    {
        var sb = new StringBuilder();
        if (parameters.Chdir is not null)
        {
            // Without CDPATH, cd never searches elsewhere nor prints the directory into the output.
            sb.Append("unset CDPATH; cd -- ").Append(Shell.Quote(parameters.Chdir)).Append(" || exit 1\n");
        }

        var expand = parameters.ExpandArgumentVars && argv.Any(NeedsExpansion);
        string run;
        if (expand)
        {
            // Arguments are built in "$@": the host's environment fills in $VARS, yet nothing is ever evaluated.
            sb.Append("sf_x() { awk ").Append(Shell.Quote(ExpandProgram)).Append(" \"$1\"; printf x; }\nset --\n");
            foreach (var arg in argv)
            {
                if (NeedsExpansion(arg))
                {
                    sb.Append("sf_a=$(sf_x ").Append(Shell.Quote(arg)).Append(") && set -- \"$@\" \"${sf_a%x}\"\n");
                }
                else
                {
                    sb.Append("set -- \"$@\" ").Append(Shell.Quote(arg)).Append('\n');
                }
            }

            run = "( exec \"$@\" )";
        }
        else
        {
            run = "( exec " + Shell.Command(argv) + " )";
        }

        if (parameters.Stdin is not null)
        {
            var input = parameters.StdinAddNewline ? parameters.Stdin + "\n" : parameters.Stdin;
            run = Shell.PipeText(input, run);
        }

        sb.Append("date ").Append(Shell.Quote("+" + DateFormat)).Append('\n');
        sb.Append(run).Append('\n');
        sb.Append("sf_rc=$?\n");
        sb.Append("printf '\\n@@SFEND %s\\n' \"$(date ").Append(Shell.Quote("+" + DateFormat)).Append(")\"\n");
        sb.Append("exit \"$sf_rc\"");
        return sb.ToString();
    }

    private static bool NeedsExpansion(string arg) => arg.Contains('$', StringComparison.Ordinal) || arg.StartsWith('~');

    /// <summary>Python's os.path.expandvars then expanduser (for `~` and `~/`), in POSIX awk reading ENVIRON.</summary>
    private const string ExpandProgram = """
        BEGIN {
          s = ARGV[1]; out = ""
          while ((i = index(s, "$")) > 0) {
            out = out substr(s, 1, i - 1); s = substr(s, i + 1)
            if (substr(s, 1, 1) == "{") {
              j = index(s, "}")
              if (j > 0) { name = substr(s, 2, j - 2); if (name in ENVIRON) { out = out ENVIRON[name]; s = substr(s, j + 1); continue } }
            } else if (match(s, /^[A-Za-z0-9_]+/)) {
              name = substr(s, 1, RLENGTH); if (name in ENVIRON) { out = out ENVIRON[name]; s = substr(s, RLENGTH + 1); continue }
            }
            out = out "$"
          }
          out = out s
          if ((out == "~" || substr(out, 1, 2) == "~/") && ("HOME" in ENVIRON)) out = ENVIRON["HOME"] substr(out, 2)
          printf "%s", out
          exit
        }
        """;

    private static TaskPlan NotRun(IReadOnlyList<string> argv, string message, string stdout)
    {
        var result = ImmutableDictionary<string, object?>.Empty
            .Add("cmd", ToList(argv))
            .Add("rc", 0L)
            .Add("msg", message)
            .Add("stdout", stdout)
            .Add("stdout_lines", ToList([stdout]))
            .Add("stderr", "")
            .Add("stderr_lines", ToList([]))
            .Add("start", null)
            .Add("end", null)
            .Add("delta", null);
        return TaskPlan.Ok(result) with { Message = message };
    }

    private static string Resolve(string path, string? chdir) =>
        chdir is null || path.StartsWith('/') ? path : chdir.TrimEnd('/') + "/" + path;

    private static bool IsGlob(string path) => path.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>
    /// A plain path is a file fact (so a file an earlier task plans counts); a glob is expanded by
    /// sh from a positional parameter with IFS empty: pathname expansion only, no evaluation.
    /// </summary>
    private static FactProbe ExistsProbe(string path) => IsGlob(path)
        ? new CommandProbe("glob", ["sh", "-c", "IFS=; for f in $1; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then echo present; exit 0; fi; done; echo absent", "sf-glob", path])
        : new FileProbe(path);

    private static async ValueTask<bool> ExistsAsync(HostFacts facts, string path, CancellationToken cancellationToken)
    {
        var probe = ExistsProbe(path);
        return probe is FileProbe
            ? (await facts.GetAsync<FileState>(probe, cancellationToken).ConfigureAwait(false)).Exists
            : (await facts.GetAsync<CommandResult>(probe, cancellationToken).ConfigureAwait(false)).Stdout.Trim() == "present";
    }

    private static DateTime? ParseTime(string text) =>
        DateTime.TryParseExact(text.Trim(), "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    /// <summary>Python's str(timedelta): "0:00:00.002226".</summary>
    private static string Delta(TimeSpan span)
    {
        var micro = (span.Ticks / 10) % 1_000_000;
        var text = $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}";
        return micro == 0 ? text : text + "." + micro.ToString("000000", CultureInfo.InvariantCulture);
    }

    private static List<string> SplitLines(string text) =>
        text.Length == 0 ? [] : [.. text.Split(["\r\n", "\n", "\r"], StringSplitOptions.None)];

    private static List<object?> ToList(IEnumerable<string> items) => [.. items];
}
