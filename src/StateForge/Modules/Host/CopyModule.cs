using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;
using FileAttributes = StateForge.Planning.FileAttributes;

namespace StateForge.Modules.Host;

[Module("copy", "ansible.builtin.copy", Description = "Writes a file from the controller or from given content, atomically, with owner, group and mode.")]
public sealed class CopyModule : Module<CopyParams>
{
    public override string Examples => """
        - name: A config file from the role's files/
          copy:
            src: app.conf
            dest: /etc/app/app.conf
            owner: root
            group: app
            mode: "0640"
            backup: true

        - name: Small content inline
          copy:
            content: |
              # managed by StateForge
              export JAVA_HOME=/usr/lib/jvm/jre
            dest: /etc/profile.d/java.sh
            mode: "0644"

        - name: Into a directory created on the way
          copy:
            src: motd
            dest: /etc/app/extra/
            directory_mode: "0755"

        - name: Checked before it replaces the old one
          copy:
            src: sudoers.d/app
            dest: /etc/sudoers.d/app
            mode: "0440"
            validate: /usr/sbin/visudo -cf %s

        - name: Only when it is not there yet
          copy:
            content: "changeme\n"
            dest: /etc/app/secret
            force: false
        """;

    protected override IEnumerable<string> Validate(CopyParams parameters)
    {
        if (parameters.Src is not null && parameters.Content is not null)
        {
            yield return "src and content are mutually exclusive";
        }
        else if (parameters.Src is null && parameters.Content is null)
        {
            yield return "src (or content) is required";
        }

        if (parameters.Dest.Length == 0)
        {
            yield return "dest cannot be empty";
        }

        if (parameters.Content is not null && parameters.Dest.EndsWith('/'))
        {
            yield return "can not use content with a dir as dest";
        }

        foreach (var error in new[] { FileAttributes.ValidateMode(parameters.Mode), FileAttributes.ValidateMode(parameters.DirectoryMode) }.OfType<string>())
        {
            yield return error;
        }

        if (parameters.Mode == "preserve" && parameters.Src is null)
        {
            yield return "mode preserve needs src";
        }

        if (parameters.DirectoryMode == "preserve")
        {
            yield return "directory_mode cannot be preserve";
        }

        if (AtomicWrite.ValidateError(parameters.Validate) is { } validateError)
        {
            yield return validateError;
        }
    }

    protected override IEnumerable<FactProbe> Probes(CopyParams parameters)
    {
        var probes = new List<FactProbe>();
        var dest = FileAttributes.TrimSlashes(parameters.Dest);
        if (parameters.Dest.EndsWith('/'))
        {
            probes.Add(new FileProbe(dest));
            probes.AddRange(FileAttributes.Ancestors(dest).Select(a => new FileProbe(a)));
        }
        else
        {
            probes.Add(new FileProbe(dest, WithContent: true));
            probes.Add(new FileProbe(FileAttributes.Parent(dest)));
        }

        if (parameters.Src is not null)
        {
            probes.Add(new FileProbe(dest + "/" + FileAttributes.BaseName(parameters.Src), WithContent: true));
        }

        probes.AddRange(new DesiredAttributes(parameters.Owner, parameters.Group, parameters.Mode).Probes());
        return probes;
    }

    protected override async ValueTask<TaskPlan> PlanAsync(CopyParams parameters, PlanContext context, CancellationToken cancellationToken)
    {
        var facts = context.Facts;
        byte[] content;
        var mode = parameters.Mode;
        string? source = null;
        if (parameters.Src is not null)
        {
            source = context.ResolveFile(parameters.Src, "files");
            if (source is null)
            {
                return TaskPlan.Fail($"Could not find or access '{parameters.Src}' on the controller (copying directories is not supported)");
            }

            content = await File.ReadAllBytesAsync(source, cancellationToken).ConfigureAwait(false);
            if (mode == "preserve")
            {
                mode = OperatingSystem.IsWindows() ? "0644" : FileAttributes.Format((int)File.GetUnixFileMode(source));
            }
        }
        else
        {
            content = Encoding.UTF8.GetBytes(parameters.Content ?? "");
        }

        // Where the file goes: inside dest when dest is a directory (or ends in /).
        var dest = FileAttributes.TrimSlashes(parameters.Dest);
        var target = dest;
        var missingDirs = new List<string>();
        if (parameters.Dest.EndsWith('/'))
        {
            target = dest + "/" + FileAttributes.BaseName(parameters.Src!);
            foreach (var dir in FileAttributes.Ancestors(dest).Append(dest))
            {
                var dirState = missingDirs.Count > 0 ? FileState.Absent : await facts.GetAsync<FileState>(new FileProbe(dir), cancellationToken).ConfigureAwait(false);
                if (!dirState.Exists)
                {
                    missingDirs.Add(dir);
                }
                else if (dirState.Kind is FileKind.File or FileKind.Other)
                {
                    return TaskPlan.Fail($"Destination directory {dir} is not a directory");
                }
            }
        }
        else
        {
            var destState = await facts.GetAsync<FileState>(new FileProbe(dest, WithContent: true), cancellationToken).ConfigureAwait(false);
            if (destState.Kind == FileKind.Link)
            {
                // A link to a directory is that directory (replacing the link itself would surprise).
                var (_, linked) = await FileAttributes.FollowAsync(facts, dest, destState, false, cancellationToken).ConfigureAwait(false);
                destState = linked.Kind == FileKind.Directory ? linked : destState;
            }

            if (destState.Kind == FileKind.Directory)
            {
                if (parameters.Src is null)
                {
                    return TaskPlan.Fail("can not use content with a dir as dest");
                }

                target = dest + "/" + FileAttributes.BaseName(parameters.Src);
            }
            else if (!destState.Exists)
            {
                var parent = FileAttributes.Parent(dest);
                var parentState = await facts.GetAsync<FileState>(new FileProbe(parent), cancellationToken).ConfigureAwait(false);
                if (parentState.Kind is not (FileKind.Directory or FileKind.Link))
                {
                    return TaskPlan.Fail($"Destination directory {parent} does not exist");
                }
            }
        }

        var current = await facts.GetAsync<FileState>(new FileProbe(target, WithContent: true), cancellationToken).ConfigureAwait(false);
        var result = Result(target, parameters.Src is null ? null : source, content);
        if (current.Kind == FileKind.Directory)
        {
            return TaskPlan.Fail($"{target} is a directory");
        }

        if (current.Exists && !parameters.Force)
        {
            return TaskPlan.Ok(result.Add("msg", "file already exists"), ResourceChange.NoChange(target));
        }

        var want = await new DesiredAttributes(parameters.Owner, parameters.Group, mode).ResolveAsync(facts, cancellationToken).ConfigureAwait(false);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (current.Kind == FileKind.File && current.Sha256 == sha256)
        {
            var attributes = FileAttributes.Plan(target, current, want);
            facts.Simulate(new FileProbe(target, WithContent: true), attributes.After);
            result = Attributes(result, attributes.After);
            return attributes.Step is null
                ? TaskPlan.Ok(result, ResourceChange.NoChange(target))
                : new TaskPlan
                {
                    Changes = [new ResourceChange(target, ChangeAction.Modify, FileAttributes.Describe(target, current), FileAttributes.Describe(target, attributes.After), FileAttributes.Diff(target, current, attributes.After))],
                    Steps = [attributes.Step],
                    Result = result,
                };
        }

        var steps = new List<RemoteStep>();
        if (missingDirs.Count > 0)
        {
            steps.Add(MakeDirectories(missingDirs, parameters));
            var dirState = new FileState(FileKind.Directory, want.OwnerName ?? "", want.GroupName ?? "", FileAttributes.NewMode(parameters.DirectoryMode, isDirectory: true));
            missingDirs.ForEach(d => facts.Simulate(new FileProbe(d), dirState));
        }

        var existing = current.Kind == FileKind.File;
        var baseMode = existing ? FileAttributes.ParseOctal(current.Mode) : FileAttributes.ParseOctal(FileAttributes.NewMode(null, isDirectory: false));
        var newMode = mode is null ? FileAttributes.Format(baseMode) : FileAttributes.Format(FileAttributes.Resolve(mode, baseMode, isDirectory: false));
        var after = new FileState(
            FileKind.File,
            want.OwnerName ?? (existing ? current.Owner : ""),
            want.GroupName ?? (existing ? current.Group : ""),
            newMode,
            content.Length,
            null,
            sha256,
            content);

        // A symbolic mode is resolved here against the file being replaced, as the plan shows it.
        var writeMode = mode is null ? null : existing || FileAttributes.IsOctal(mode) ? newMode : mode;
        var validate = parameters.Validate is null ? null : Shlex.Split(parameters.Validate);
        steps.Add(AtomicWrite.Build(target, content, parameters.Owner, parameters.Group, writeMode, parameters.Backup && current.Exists, validate));
        facts.Simulate(new FileProbe(target, WithContent: true), after);

        var diff = ContentDiff(target, current, content);
        if (existing)
        {
            diff += FileAttributes.Diff(target, current with { Size = content.Length }, after);
        }

        return new TaskPlan
        {
            Changes = [new ResourceChange(target, current.Exists ? ChangeAction.Modify : ChangeAction.Create, FileAttributes.Describe(target, current), FileAttributes.Describe(target, after), diff)],
            Steps = [.. steps],
            Result = Attributes(result, after),
        };
    }

    protected override TaskPlan Complete(CopyParams parameters, TaskPlan plan, IReadOnlyList<StepResult> results)
    {
        var completed = base.Complete(parameters, plan, results);
        var backup = AtomicWrite.WrittenBackup(plan, results);
        return backup is null ? completed : completed with { Result = completed.Result.SetItem("backup_file", backup) };
    }


    /// <summary>A unified diff for text, a one-line note for binary or too-large content.</summary>
    internal static string ContentDiff(string path, FileState current, byte[] content)
    {
        var newSha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (current.Kind == FileKind.File && current.Content is null)
        {
            var why = current.Size > FileProbe.ContentLimit ? $"larger than {FileProbe.ContentLimit / 1024} KiB" : "content not fetched";
            return $"content of {path} changes (sha256 {current.Sha256} -> {newSha}); not shown: {why}\n";
        }

        var before = current.Kind == FileKind.File ? current.Content! : [];
        if (IsBinary(before) || IsBinary(content))
        {
            return $"Binary file {path} differs (sha256 {current.Sha256 ?? "none"} -> {newSha})\n";
        }

        var header = current.Kind == FileKind.Link ? $"replaces the symlink {path} -> {current.LinkTarget}\n" : "";
        return header + TextDiff.Unified(Encoding.UTF8.GetString(before), Encoding.UTF8.GetString(content), "before: " + path, "after: " + path);
    }

    /// <summary>Like Ansible's peek: a NUL in the first 8 KiB, or bytes that are not UTF-8.</summary>
    internal static bool IsBinary(byte[] content)
    {
        if (content.AsSpan(0, Math.Min(content.Length, 8192)).Contains((byte)0))
        {
            return true;
        }

        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
            return false;
        }
        catch (DecoderFallbackException)
        {
            return true;
        }
    }

    private static RemoteStep MakeDirectories(List<string> dirs, CopyParams parameters)
    {
        var script = string.Join(" &&\n", dirs.Select(dir =>
        {
            var attributes = FileAttributes.Script(dir, parameters.Owner, parameters.Group, parameters.DirectoryMode);
            var make = Shell.Command("mkdir", "--", dir) + (attributes.Length > 0 ? " && " + attributes : "");
            return $"{{ [ -d {Shell.Quote(dir)} ] || {{ {make}; }}; }}";
        }));
        return new RemoteStep("create directory " + dirs[^1], script);
    }

    private static ImmutableDictionary<string, object?> Result(string dest, string? src, byte[] content)
    {
        var result = ImmutableDictionary<string, object?>.Empty
            .Add("dest", dest)
            .Add("checksum", Convert.ToHexStringLower(SHA1.HashData(content)))
            .Add("md5sum", Convert.ToHexStringLower(MD5.HashData(content)))
            .Add("size", (long)content.Length)
            .Add("state", "file");
        return src is null ? result : result.Add("src", src);
    }

    private static ImmutableDictionary<string, object?> Attributes(ImmutableDictionary<string, object?> result, FileState after) =>
        result.SetItem("owner", after.Owner).SetItem("group", after.Group).SetItem("mode", after.Mode);
}
