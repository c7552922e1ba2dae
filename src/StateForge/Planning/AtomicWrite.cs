using System.Text;
using StateForge.Transport;

namespace StateForge.Planning;

/// <summary>
/// Replaces a file's content atomically, as Ansible's atomic_move does: a temp file in the same
/// directory gets the content, owner, group and mode, is synced to disk and renamed over the
/// destination, so readers see the old file or the new one, never half of it.
/// </summary>
public static class AtomicWrite
{
    /// <summary>
    /// The step that writes <paramref name="content"/> to <paramref name="dest"/>. Null owner, group
    /// or mode keep the existing file's (a new file gets the connection user's and 0666 &amp; ~umask).
    /// With <paramref name="backup"/> an existing file is first copied to
    /// `dest.PID.YYYY-MM-DD@HH:MM:SS~` and the step prints that path (see <see cref="BackupPath"/>).
    /// The temp file is removed when any part fails.
    /// </summary>
    public static RemoteStep Build(string dest, byte[] content, string? owner, string? group, string? mode, bool backup) =>
        Build(dest, content, owner, group, mode, backup, validate: null);

    /// <summary>
    /// As <see cref="Build(string, byte[], string?, string?, string?, bool)"/>, and runs
    /// <paramref name="validate"/> (an argv where "%s" stands for the temp file, like Ansible's
    /// `validate: visudo -cf %s`) before the rename; a non-zero exit keeps the old file.
    /// </summary>
    public static RemoteStep Build(string dest, byte[] content, string? owner, string? group, string? mode, bool backup, IReadOnlyList<string>? validate)
    {
        ArgumentNullException.ThrowIfNull(dest);
        ArgumentNullException.ThrowIfNull(content);
        return Build(dest, Shell.PipeBytes(content, "cat >\"$sf_tmp\""), owner, group, mode, backup, validate, skipWhenSame: false, $"write {dest}");
    }

    /// <summary>
    /// As <see cref="Build(string, byte[], string?, string?, string?, bool)"/>, with the content made on
    /// the host at apply time by <paramref name="produce"/>, an sh fragment that writes it to
    /// "$sf_tmp" (e.g. a command's output, for a file that must hold exactly what the command prints
    /// then). When the result equals the destination's content, the destination is left as it is
    /// and the step prints <see cref="Unchanged"/>.
    /// </summary>
    public static RemoteStep BuildProduced(string dest, string produce, string? mode, string description)
    {
        ArgumentNullException.ThrowIfNull(dest);
        ArgumentNullException.ThrowIfNull(produce);
        return Build(dest, produce, owner: null, group: null, mode, backup: false, validate: null, skipWhenSame: true, description);
    }

    /// <summary>What a <see cref="BuildProduced"/> step prints when the file already had the produced content.</summary>
    public const string Unchanged = "sf-unchanged";

    private static RemoteStep Build(
        string dest, string produce, string? owner, string? group, string? mode, bool backup, IReadOnlyList<string>? validate, bool skipWhenSame, string description)
    {
        var name = dest.TrimEnd('/');
        var slash = name.LastIndexOf('/');
        var dir = slash switch
        {
            < 0 => ".",
            0 => "",
            _ => name[..slash],
        };
        var baseName = name[(slash + 1)..];

        // Room for ".", ".XXXXXX" within NAME_MAX (255).
        var template = dir + "/." + (baseName.Length > 200 ? baseName[..200] : baseName) + ".XXXXXX";

        var work = new List<string>
        {
            produce,

            // Keep the current file's owner and mode unless asked otherwise.
            "if [ -e \"$sf_dst\" ]; then chown --reference=\"$sf_dst\" -- \"$sf_tmp\" && chmod --reference=\"$sf_dst\" -- \"$sf_tmp\"; " +
            "else chmod \"$(printf '%o' $((0666 & ~$(umask))))\" -- \"$sf_tmp\"; fi",
        };
        if (owner is not null)
        {
            work.Add("chown -- " + Shell.Quote(owner) + " \"$sf_tmp\"");
        }

        if (group is not null)
        {
            work.Add("chgrp -- " + Shell.Quote(group) + " \"$sf_tmp\"");
        }

        if (mode is not null)
        {
            work.Add("chmod -- " + Shell.Quote(FileAttributes.ChmodArgument(mode)) + " \"$sf_tmp\"");
        }

        if (validate is { Count: > 0 })
        {
            // Its output goes to stderr: stdout carries only the backup path.
            work.Add(ValidateCommand(validate) + " >&2");
        }

        if (skipWhenSame)
        {
            work.Add("{ if [ -f \"$sf_dst\" ] && cmp -s -- \"$sf_tmp\" \"$sf_dst\"; then rm -f -- \"$sf_tmp\"; printf '%s' " + Unchanged + "; exit 0; fi; }");
        }

        work.Add("{ sync -- \"$sf_tmp\" 2>/dev/null || sync; }");
        if (backup)
        {
            work.Add("if [ -e \"$sf_dst\" ]; then sf_bak=\"$sf_dst.$$.$(date +%Y-%m-%d@%H:%M:%S)~\" && " +
                     "cp -p -- \"$sf_dst\" \"$sf_bak\" && printf '%s' \"$sf_bak\"; fi");
        }

        // -T: never move into a directory that appeared at dest.
        work.Add("mv -Tf -- \"$sf_tmp\" \"$sf_dst\"");

        var sb = new StringBuilder();
        sb.Append("sf_dst=").Append(Shell.Quote(dest)).Append('\n');
        sb.Append("sf_tmp=$(mktemp ").Append(Shell.Quote(template)).Append(") || exit 1\n");
        sb.Append("( ").Append(string.Join(" &&\n  ", work)).Append("\n) || { sf_rc=$?; rm -f -- \"$sf_tmp\"; exit \"$sf_rc\"; }");
        return new RemoteStep(description, sb.ToString());
    }

    /// <summary>The backup a <see cref="Build(string, byte[], string?, string?, string?, bool)"/> step made, from its stdout; null when none.</summary>
    public static string? BackupPath(StepResult result) => result.Succeeded && result.Stdout.Length > 0 ? result.Stdout : null;

    /// <summary>The backup path an <see cref="AtomicWrite"/> step of a plan printed, if any.</summary>
    public static string? WrittenBackup(TaskPlan plan, IReadOnlyList<StepResult> results)
    {
        for (var i = 0; i < Math.Min(plan.Steps.Length, results.Count); i++)
        {
            if (plan.Steps[i].Description.StartsWith("write ", StringComparison.Ordinal) && AtomicWrite.BackupPath(results[i]) is { } path)
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>Null when a validate command is usable: it splits like a command line and names the file with %s.</summary>
    public static string? ValidateError(string? validate)
    {
        if (validate is null)
        {
            return null;
        }

        if (!validate.Contains("%s", StringComparison.Ordinal))
        {
            return $"validate must contain %s: {validate}";
        }

        return Shlex.TrySplit(validate, out var argv, out var error) && argv.Count > 0 ? null : $"validate cannot be split into arguments: {error ?? "empty"}";
    }

    /// <summary>The validate argv with each "%s" replaced by the temp file, the rest quoted.</summary>
    private static string ValidateCommand(IReadOnlyList<string> argv) =>
        string.Join(' ', argv.Select(arg => string.Join("\"$sf_tmp\"", arg.Split("%s").Select(part => part.Length == 0 ? "" : Shell.Quote(part))))
            .Select(word => word.Length == 0 ? "''" : word));
}
