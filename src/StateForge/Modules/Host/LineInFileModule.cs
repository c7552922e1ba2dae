using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;
using FileAttributes = StateForge.Planning.FileAttributes;

namespace StateForge.Modules.Host;

[Module("lineinfile", "ansible.builtin.lineinfile", Description = "Ensures a line is in a file (or replaces the one a regexp finds), or that matching lines are gone.")]
public sealed class LineInFileModule : Module<LineInFileParams>
{
    public override string Examples => """
        - name: SELinux enforcing
          lineinfile:
            path: /etc/selinux/config
            regexp: '^SELINUX='
            line: SELINUX=enforcing

        - name: No wheel in sudoers
          lineinfile:
            path: /etc/sudoers
            state: absent
            regexp: '^%wheel'
            validate: /usr/sbin/visudo -cf %s

        - name: Listen on 8080, next to the commented default
          lineinfile:
            path: /etc/httpd/conf/httpd.conf
            regexp: '^Listen '
            insertafter: '^#Listen '
            line: Listen 8080

        - name: Keep the unit, change the value
          lineinfile:
            path: /opt/jboss/bin/standalone.conf
            regexp: '^(.*)Xms(\d+)m(.*)$'
            line: '\1Xms2048m\3'
            backrefs: true

        - name: A host entry, creating the file if needed
          lineinfile:
            path: /etc/hosts.d/lab
            line: 192.168.1.99 foo.lab.net foo
            create: true
            mode: "0644"
        """;

    protected override IEnumerable<string> Validate(LineInFileParams parameters)
    {
        if (parameters.Path.Length == 0)
        {
            yield return "path cannot be empty";
        }

        if (parameters.State == "present")
        {
            if (parameters.Backrefs && parameters.Regexp is null)
            {
                yield return "regexp is required with backrefs=true";
            }

            if (parameters.Line is null)
            {
                yield return "line is required with state=present";
            }
        }
        else if (parameters.Regexp is null && parameters.SearchString is null && parameters.Line is null)
        {
            yield return "one of line, search_string, or regexp is required with state=absent";
        }

        if (parameters.Insertafter is not null && parameters.Insertbefore is not null)
        {
            yield return "insertafter and insertbefore are mutually exclusive";
        }

        if (parameters.Regexp is not null && parameters.SearchString is not null)
        {
            yield return "regexp and search_string are mutually exclusive";
        }

        if (parameters.Backrefs && parameters.SearchString is not null)
        {
            yield return "backrefs and search_string are mutually exclusive";
        }

        foreach (var (name, pattern) in new[] { ("regexp", parameters.Regexp), ("insertafter", Insertion(parameters.Insertafter, "BOF", "EOF")), ("insertbefore", Insertion(parameters.Insertbefore, "BOF")) })
        {
            if (pattern is not null && LineEdit.RegexError(pattern) is { } error)
            {
                yield return $"{name} is not a valid regular expression: {error}";
            }
        }

        if (FileAttributes.ValidateMode(parameters.Mode) is { } modeError)
        {
            yield return modeError;
        }

        if (AtomicWrite.ValidateError(parameters.Validate) is { } validateError)
        {
            yield return validateError;
        }
    }

    protected override IEnumerable<FactProbe> Probes(LineInFileParams parameters) =>
        [
            new FileProbe(parameters.Path, WithContent: true),
            new FileProbe(FileAttributes.Parent(parameters.Path)),
            .. new DesiredAttributes(parameters.Owner, parameters.Group, parameters.Mode).Probes(),
        ];

    protected override async ValueTask<TaskPlan> PlanAsync(LineInFileParams parameters, PlanContext context, CancellationToken cancellationToken)
    {
        var facts = context.Facts;
        var path = parameters.Path;
        var current = await facts.GetAsync<FileState>(new FileProbe(path, WithContent: true), cancellationToken).ConfigureAwait(false);

        // Like Ansible, edit the file a symlink points to, and keep the link.
        (path, current) = await FileAttributes.FollowAsync(facts, path, current, withContent: true, cancellationToken).ConfigureAwait(false);
        if (current.Kind == FileKind.Directory)
        {
            return TaskPlan.Fail($"Path {parameters.Path} is a directory !");
        }

        if (current.Kind is FileKind.Link or FileKind.Other)
        {
            return TaskPlan.Fail($"{parameters.Path} is not a regular file");
        }

        if (current.Kind == FileKind.File && current.Content is null)
        {
            return TaskPlan.Fail(current.Size > FileProbe.ContentLimit
                ? $"{path} is larger than {FileProbe.ContentLimit / 1024} KiB, too large for lineinfile; use copy or template"
                : $"the content of {path} is not known (an earlier task changed it without knowing its content)");
        }

        var warnings = EmptyPatternWarning(parameters);
        if (!current.Exists)
        {
            if (parameters.State == "absent")
            {
                return TaskPlan.Ok(Result("file not present", "").Add("found", 0L), ResourceChange.NoChange(path)) with { Warnings = warnings };
            }

            if (!parameters.Create)
            {
                return TaskPlan.Fail($"Destination {path} does not exist !") with { Result = Result("", "").Add("rc", 257L) };
            }
        }

        var before = current.Content ?? [];
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(before);
        }
        catch (DecoderFallbackException)
        {
            return TaskPlan.Fail($"{path} is not UTF-8 text");
        }

        LineEdit.Outcome outcome;
        try
        {
            outcome = parameters.State == "absent" ? LineEdit.Absent(text, parameters) : LineEdit.Present(text, parameters);
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return TaskPlan.Fail(e.Message);
        }

        var want = await new DesiredAttributes(parameters.Owner, parameters.Group, parameters.Mode).ResolveAsync(facts, cancellationToken).ConfigureAwait(false);
        var plan = outcome.Changed
            ? await WriteAsync(parameters, context, path, current, outcome, want, cancellationToken).ConfigureAwait(false)
            : Attributes(path, current, want, facts, outcome);
        if (outcome.Found is { } found)
        {
            plan = plan with { Result = plan.Result.SetItem("found", (long)found) };
        }

        return plan with { Warnings = warnings };
    }

    protected override TaskPlan Complete(LineInFileParams parameters, TaskPlan plan, IReadOnlyList<StepResult> results)
    {
        var completed = base.Complete(parameters, plan, results);
        var backup = AtomicWrite.WrittenBackup(plan, results);
        return backup is null ? completed : completed with { Result = completed.Result.SetItem("backup", backup) };
    }

    private static async ValueTask<TaskPlan> WriteAsync(
        LineInFileParams parameters, PlanContext context, string path, FileState current, LineEdit.Outcome outcome, DesiredAttributes want, CancellationToken cancellationToken)
    {
        var content = Encoding.UTF8.GetBytes(outcome.Text);
        var existing = current.Exists;
        var baseMode = FileAttributes.ParseOctal(existing ? current.Mode : FileAttributes.NewMode(null, isDirectory: false));
        var newMode = parameters.Mode is null ? FileAttributes.Format(baseMode) : FileAttributes.Format(FileAttributes.Resolve(parameters.Mode, baseMode, isDirectory: false));
        var after = new FileState(FileKind.File, want.OwnerName ?? current.Owner, want.GroupName ?? current.Group, newMode, content.Length, null,
            Convert.ToHexStringLower(SHA256.HashData(content)), content);

        var steps = new List<RemoteStep>();
        var parent = FileAttributes.Parent(path);
        if (!existing && !(await context.Facts.GetAsync<FileState>(new FileProbe(parent), cancellationToken).ConfigureAwait(false)).Exists)
        {
            steps.Add(new RemoteStep("create directory " + parent, Shell.Command("mkdir", "-p", "--", parent)));
            context.Facts.Simulate(new FileProbe(parent), new FileState(FileKind.Directory, "", "", FileAttributes.NewMode(null, isDirectory: true)));
        }

        var validate = parameters.Validate is null ? null : Shlex.Split(parameters.Validate);
        var writeMode = parameters.Mode is null ? null : existing || FileAttributes.IsOctal(parameters.Mode) ? newMode : parameters.Mode;
        steps.Add(AtomicWrite.Build(path, content, parameters.Owner, parameters.Group, writeMode, parameters.Backup && existing, validate));
        context.Facts.Simulate(new FileProbe(path, WithContent: true), after);

        var message = outcome.Message;
        var diff = TextDiff.Unified(Encoding.UTF8.GetString(current.Content ?? []), outcome.Text, "before: " + path, "after: " + path);
        var attributeDiff = existing ? FileAttributes.Diff(path, current with { Size = content.Length }, after) : "";
        if (attributeDiff.Length > 0)
        {
            message += " and ownership, perms or SE linux context changed";
        }

        return new TaskPlan
        {
            Changes = [new ResourceChange(path, existing ? ChangeAction.Modify : ChangeAction.Create, FileAttributes.Describe(path, current), FileAttributes.Describe(path, after), diff + attributeDiff)],
            Steps = [.. steps],
            Result = Result(message, ""),
            Message = message,
        };
    }

    private static TaskPlan Attributes(string path, FileState current, DesiredAttributes want, HostFacts facts, LineEdit.Outcome outcome)
    {
        var attributes = FileAttributes.Plan(path, current, want);
        if (attributes.Step is null)
        {
            return TaskPlan.Ok(Result(outcome.Message, ""), ResourceChange.NoChange(path));
        }

        facts.Simulate(new FileProbe(path, WithContent: true), attributes.After);
        const string message = "ownership, perms or SE linux context changed";
        return new TaskPlan
        {
            Changes = [new ResourceChange(path, ChangeAction.Modify, FileAttributes.Describe(path, current), FileAttributes.Describe(path, attributes.After), FileAttributes.Diff(path, current, attributes.After))],
            Steps = [attributes.Step],
            Result = Result(message, ""),
            Message = message,
        };
    }

    private static ImmutableArray<string> EmptyPatternWarning(LineInFileParams parameters)
    {
        if (parameters.Regexp == "")
        {
            return ["The regular expression is an empty string, which will match every line in the file. This may have unintended consequences, " +
                    "such as replacing the last line in the file rather than appending. If this is desired, use '^' to match every line in the file and avoid this warning."];
        }

        return parameters.SearchString == ""
            ? ["The search string is an empty string, which will match every line in the file. This may have unintended consequences, " +
               "such as replacing the last line in the file rather than appending."]
            : [];
    }

    private static ImmutableDictionary<string, object?> Result(string message, string backup) =>
        ImmutableDictionary<string, object?>.Empty.Add("msg", message).Add("backup", backup);

    private static string? Insertion(string? value, params string[] specials) => value is null || specials.Contains(value) ? null : value;
}

/// <summary>Ansible's lineinfile edit, on the controller: lines keep their terminators, regexps search each line.</summary>
internal static partial class LineEdit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    internal sealed record Outcome(string Text, bool Changed, string Message, int? Found = null);

    public static Outcome Present(string text, LineInFileParams p)
    {
        var line = p.Line!;
        var lines = TextDiff.SplitLines(text);
        var regexp = p.Regexp is null ? null : Compile(p.Regexp);
        var insertAfter = p.Insertafter ?? (p.Insertbefore is null ? "EOF" : null);
        var insertBefore = p.Insertbefore;
        var insertPattern = insertAfter is not (null or "BOF" or "EOF") ? Compile(insertAfter)
            : insertBefore is not (null or "BOF") ? Compile(insertBefore) : null;

        int found = -1, insertAt = -1;
        Match? match = null;
        var matched = false;
        for (var i = 0; i < lines.Count && (regexp is not null || p.SearchString is not null); i++)
        {
            var m = regexp?.Match(lines[i]);
            if (m is { Success: true } || (p.SearchString is not null && lines[i].Contains(p.SearchString, StringComparison.Ordinal)))
            {
                (found, match, matched) = (i, m, true);
                if (p.Firstmatch)
                {
                    break;
                }
            }
        }

        if (!matched)
        {
            for (var i = 0; i < lines.Count; i++)
            {
                if (Strip(lines[i]) == line)
                {
                    found = i;
                }
                else if (insertPattern is not null && insertPattern.IsMatch(lines[i]))
                {
                    insertAt = insertAfter is not null ? i + 1 : i;
                    if (p.Firstmatch)
                    {
                        break;
                    }
                }
            }
        }

        var unchanged = new Outcome(text, false, "");
        if (found != -1)
        {
            var replacement = p.Backrefs && match is not null ? Expand(match, line) : line;
            if (!replacement.EndsWith('\n'))
            {
                replacement += "\n";
            }

            if (lines[found] == replacement)
            {
                return unchanged;
            }

            lines[found] = replacement;
            return new Outcome(string.Concat(lines), true, "line replaced");
        }

        if (p.Backrefs)
        {
            // Without a match there is nothing to fill the backreferences with.
            return unchanged;
        }

        if (insertBefore == "BOF" || insertAfter == "BOF")
        {
            lines.Insert(0, line + "\n");
        }
        else if (insertAfter == "EOF" || insertAt == -1)
        {
            Append(lines, line);
        }
        else if (insertAfter is not null)
        {
            // Not when the line is already right after the match.
            if (insertAt == lines.Count ? Strip(lines[^1]) == line : Strip(lines[insertAt]) == line)
            {
                return unchanged;
            }

            if (insertAt == lines.Count)
            {
                Append(lines, line);
            }
            else
            {
                lines.Insert(insertAt, line + "\n");
            }
        }
        else
        {
            lines.Insert(insertAt, line + "\n");
        }

        return new Outcome(string.Concat(lines), true, "line added");
    }

    public static Outcome Absent(string text, LineInFileParams p)
    {
        var regexp = p.Regexp is null ? null : Compile(p.Regexp);
        var lines = TextDiff.SplitLines(text);
        var kept = lines.Where(l => !(regexp is not null ? regexp.IsMatch(l)
            : p.SearchString is not null ? l.Contains(p.SearchString, StringComparison.Ordinal)
            : Strip(l) == p.Line)).ToList();
        var removed = lines.Count - kept.Count;
        return removed == 0
            ? new Outcome(text, false, "", 0)
            : new Outcome(string.Concat(kept), true, $"{removed} line(s) removed", removed);
    }

    public static string? RegexError(string pattern)
    {
        try
        {
            _ = Compile(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>A Python regular expression as .NET reads it: (?P&lt;n&gt;…) and (?P=n) named groups, \Z at the very end.</summary>
    internal static Regex Compile(string pattern)
    {
        var sb = new StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length)
            {
                sb.Append(pattern[i + 1] == 'Z' ? "\\z" : pattern.Substring(i, 2));
                i++;
            }
            else if (string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                sb.Append("(?<");
                i += 3;
            }
            else if (string.CompareOrdinal(pattern, i, "(?P=", 0, 4) == 0 && pattern.IndexOf(')', i) is var close and > 0)
            {
                sb.Append("\\k<").Append(pattern, i + 4, close - i - 4).Append('>');
                i = close;
            }
            else
            {
                sb.Append(pattern[i]);
            }
        }

        return new Regex(sb.ToString(), RegexOptions.CultureInvariant, Timeout);
    }

    /// <summary>Python's match.expand: \1…\99, \g&lt;n&gt;, \g&lt;name&gt; and the usual escapes.</summary>
    internal static string Expand(Match match, string template)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c != '\\' || i + 1 >= template.Length)
            {
                sb.Append(c);
                continue;
            }

            var n = template[++i];
            if (n == 'g' && i + 1 < template.Length && template[i + 1] == '<' && template.IndexOf('>', i) is var close and > 0)
            {
                sb.Append(Group(match, template[(i + 2)..close]));
                i = close;
            }
            else if (n is >= '1' and <= '9')
            {
                var number = n.ToString();
                if (i + 1 < template.Length && char.IsAsciiDigit(template[i + 1]) && match.Groups.Count > int.Parse(number + template[i + 1], System.Globalization.CultureInfo.InvariantCulture))
                {
                    number += template[++i];
                }

                sb.Append(Group(match, number));
            }
            else
            {
                sb.Append(n switch
                {
                    'n' => "\n",
                    't' => "\t",
                    'r' => "\r",
                    'f' => "\f",
                    'v' => "\v",
                    'a' => "\a",
                    'b' => "\b",
                    '0' => "\0",
                    '\\' => "\\",
                    _ => "\\" + n,
                });
            }
        }

        return sb.ToString();
    }

    private static string Group(Match match, string reference)
    {
        var group = int.TryParse(reference, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? (number < match.Groups.Count ? match.Groups[number] : null)
            : match.Groups[reference] is { } named && named.Name == reference ? named : null;
        return group is null ? throw new ArgumentException($"invalid group reference {reference} in line") : group.Success ? group.Value : "";
    }

    private static void Append(List<string> lines, string line)
    {
        if (lines.Count > 0 && !lines[^1].EndsWith('\n') && !lines[^1].EndsWith('\r'))
        {
            lines[^1] += "\n";
        }

        lines.Add(line + "\n");
    }

    private static string Strip(string line) => line.TrimEnd('\r', '\n');
}
