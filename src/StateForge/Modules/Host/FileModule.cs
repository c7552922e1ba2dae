using System.Collections.Immutable;
using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;
using FileAttributes = StateForge.Planning.FileAttributes;

namespace StateForge.Modules.Host;

[Module("file", "ansible.builtin.file", Description = "Sets owner, group and mode of paths; creates directories and links, touches or removes paths.")]
public sealed class FileModule : Module<FileParams>
{
    public override string Examples => """
        - name: A directory (and its parents) owned by the app
          file:
            path: /srv/app/releases
            state: directory
            owner: app
            group: app
            mode: "0750"

        - name: Ownership of everything below, directories traversable
          file:
            path: /srv/app/shared
            state: directory
            recurse: true
            owner: app
            mode: u=rwX,g=rX,o=

        - name: Point current at a release
          file:
            src: releases/1.4.2
            dest: /srv/app/current
            state: link

        - name: An empty marker file, keeping its times once it exists
          file:
            path: /etc/app/.managed
            state: touch
            mode: "0644"
            modification_time: preserve
            access_time: preserve

        - name: Gone, recursively
          file:
            path: /tmp/build-cache
            state: absent
        """;

    protected override IEnumerable<string> Validate(FileParams parameters)
    {
        if (parameters.Path.Length == 0)
        {
            yield return "path cannot be empty";
        }

        if (FileAttributes.ValidateMode(parameters.Mode) is { } modeError)
        {
            yield return modeError;
        }
        else if (parameters.Mode == "preserve")
        {
            yield return "mode preserve is only valid with copy and template";
        }

        if (parameters.Recurse && parameters.State is not (null or "directory"))
        {
            yield return "recurse option requires state to be 'directory'";
        }

        if (parameters.Src is not null && parameters.State is not (null or "link" or "hard"))
        {
            yield return "src option requires state to be 'link' or 'hard'";
        }

        if (parameters.State is "link" or "hard" && parameters.Src is null)
        {
            yield return $"src is required with state {parameters.State}";
        }
    }

    protected override IEnumerable<FactProbe> Probes(FileParams parameters)
    {
        var path = FileAttributes.TrimSlashes(parameters.Path);
        var probes = new List<FactProbe> { new FileProbe(path) };
        probes.AddRange(Want(parameters).Probes());
        switch (parameters.State)
        {
            case null or "directory":
                probes.AddRange(FileAttributes.Ancestors(path).Select(a => new FileProbe(a)));
                if (parameters.Recurse)
                {
                    probes.Add(TreeProbe(path));
                }

                break;
            case "link" when parameters.Src is not null:
                probes.Add(new FileProbe(LinkSource(path, parameters.Src)));
                break;
            case "hard" when parameters.Src is not null:
                var inside = path + "/" + FileAttributes.BaseName(parameters.Src);
                probes.Add(new FileProbe(parameters.Src));
                probes.Add(new FileProbe(inside));
                probes.AddRange([InodeProbe(parameters.Src), InodeProbe(path), InodeProbe(inside)]);
                break;
        }

        return probes;
    }

    protected override async ValueTask<TaskPlan> PlanAsync(FileParams parameters, PlanContext context, CancellationToken cancellationToken)
    {
        var path = FileAttributes.TrimSlashes(parameters.Path);
        var current = await context.Facts.GetAsync<FileState>(new FileProbe(path), cancellationToken).ConfigureAwait(false);
        var state = parameters.State ?? (current.Exists ? FileAttributes.StateName(current) : parameters.Recurse ? "directory" : "file");
        if (parameters.Recurse && state != "directory")
        {
            return TaskPlan.Fail("recurse option requires state to be 'directory'");
        }

        if (parameters.Src is not null && state is not ("link" or "hard"))
        {
            return TaskPlan.Fail("src option requires state to be 'link' or 'hard'");
        }

        var want = await Want(parameters).ResolveAsync(context.Facts, cancellationToken).ConfigureAwait(false);
        var task = new FileTask(parameters, context, want, path, current);
        return state switch
        {
            "absent" => task.Absent(),
            "directory" => await task.DirectoryAsync(cancellationToken).ConfigureAwait(false),
            "touch" => await task.TouchAsync(cancellationToken).ConfigureAwait(false),
            "link" => await task.LinkAsync(cancellationToken).ConfigureAwait(false),
            "hard" => await task.HardAsync(cancellationToken).ConfigureAwait(false),
            _ => await task.FileAsync(cancellationToken).ConfigureAwait(false),
        };
    }

    private static DesiredAttributes Want(FileParams parameters) => new(parameters.Owner, parameters.Group, parameters.Mode);

    /// <summary>Where a link's src is checked: relative to the link's directory, as `ln -s` resolves it.</summary>
    internal static string LinkSource(string path, string src) =>
        FileAttributes.Normalize(src.StartsWith('/') ? src : FileAttributes.Parent(path) + "/" + src);

    /// <summary>Device, inode and link count, to tell whether two paths are the same file.</summary>
    internal static CommandProbe InodeProbe(string path) => new("inode", ["stat", "-L", "-c", "%d:%i:%h", "--", path]);

    /// <summary>Owner, group, mode and type of everything below a directory, NUL-separated (any byte may be in a name).</summary>
    internal static CommandProbe TreeProbe(string path) =>
        new("tree", ["find", path, "-mindepth", "1", "-exec", "stat", "--printf", "%U\\t%G\\t%a\\t%F\\t%n\\0", "--", "{}", "+"]);
    /// <summary>One task's planning: what is at path against what the parameters ask.</summary>
    private sealed class FileTask(FileParams p, PlanContext context, DesiredAttributes want, string path, FileState current)
    {
        private const int TreeDiffLimit = 20;

        private HostFacts Facts => context.Facts;

        public TaskPlan Absent()
        {
            if (!current.Exists)
            {
                return TaskPlan.Ok(Result("path", path, "absent", FileState.Absent), ResourceChange.NoChange(path));
            }

            if (path == "/")
            {
                return TaskPlan.Fail("refusing to remove /");
            }

            Facts.Simulate(new FileProbe(path), FileState.Absent);

            // What was below is gone too; those facts are read again if a later task asks.
            Facts.Forget("file:" + path + "/");
            return Changed(
                Result("path", path, "absent", FileState.Absent),
                Change(ChangeAction.Delete, path, current, FileState.Absent),
                new RemoteStep("remove " + path, Shell.Command("rm", "-rf", "--", path)));
        }

        public async ValueTask<TaskPlan> DirectoryAsync(CancellationToken cancellationToken)
        {
            var (target, state) = await FollowAsync(cancellationToken).ConfigureAwait(false);
            if (!state.Exists)
            {
                return await CreateDirectoryAsync(target, cancellationToken).ConfigureAwait(false);
            }

            if (state.Kind != FileKind.Directory)
            {
                return TaskPlan.Fail($"{target} already exists as a {FileAttributes.StateName(state)}");
            }

            var attributes = FileAttributes.Plan(target, state, want);
            var steps = new List<RemoteStep>();
            var diff = new List<string>();
            if (attributes.Step is not null)
            {
                steps.Add(attributes.Step);
                diff.Add(Diff(target, state, attributes.After));
            }

            if (p.Recurse)
            {
                var tree = await Facts.GetAsync<CommandResult>(TreeProbe(target), cancellationToken).ConfigureAwait(false);
                if (RecursiveChange(target, tree) is { } recursive)
                {
                    steps.Add(recursive.Step);
                    diff.Add(recursive.Diff);
                }
            }

            Facts.Simulate(new FileProbe(target), attributes.After);
            var result = Result("path", target, "directory", attributes.After);
            return steps.Count == 0
                ? TaskPlan.Ok(result, ResourceChange.NoChange(target))
                : Changed(result, new ResourceChange(target, ChangeAction.Modify, Describe(target, state), Describe(target, attributes.After), string.Join("\n", diff)), [.. steps]);
        }

        private async ValueTask<TaskPlan> CreateDirectoryAsync(string target, CancellationToken cancellationToken)
        {
            // Like Ansible, every directory mkdir -p creates gets the owner, group and mode.
            var missing = new List<string>();
            foreach (var dir in FileAttributes.Ancestors(target).Append(target))
            {
                if (missing.Count > 0)
                {
                    missing.Add(dir);
                    continue;
                }

                var state = dir == target ? FileState.Absent : await Facts.GetAsync<FileState>(new FileProbe(dir), cancellationToken).ConfigureAwait(false);
                if (!state.Exists)
                {
                    missing.Add(dir);
                }
                else if (state.Kind is FileKind.File or FileKind.Other)
                {
                    return TaskPlan.Fail($"There was an issue creating {target} as requested: {dir} is not a directory");
                }
            }

            var created = new FileState(FileKind.Directory, want.OwnerName ?? "", want.GroupName ?? "", FileAttributes.NewMode(p.Mode, isDirectory: true));
            var script = string.Join(" &&\n", missing.Select(dir =>
            {
                var attributes = FileAttributes.Script(dir, p.Owner, p.Group, p.Mode);
                var make = Shell.Command("mkdir", "--", dir) + (attributes.Length > 0 ? " && " + attributes : "");
                return $"{{ [ -d {Shell.Quote(dir)} ] || {{ {make}; }}; }}";
            }));
            foreach (var dir in missing)
            {
                Facts.Simulate(new FileProbe(dir), created);
            }

            var change = Change(ChangeAction.Create, target, FileState.Absent, created);
            if (missing.Count > 1)
            {
                change = change with { Diff = change.Diff + "created: " + string.Join(", ", missing) + "\n" };
            }

            return Changed(Result("path", target, "directory", created), change, new RemoteStep("create directory " + target, script));
        }

        public async ValueTask<TaskPlan> FileAsync(CancellationToken cancellationToken)
        {
            var (target, state) = await FollowAsync(cancellationToken).ConfigureAwait(false);
            if (state.Kind is FileKind.Absent or FileKind.Directory or FileKind.Link)
            {
                return TaskPlan.Fail($"file ({target}) is {FileAttributes.StateName(state)}, cannot continue");
            }

            return ModifyExisting(target, state, "file", Touch(target, "file"));
        }

        public async ValueTask<TaskPlan> TouchAsync(CancellationToken cancellationToken)
        {
            var (target, state) = await FollowAsync(cancellationToken).ConfigureAwait(false);
            if (state.Exists)
            {
                return ModifyExisting(target, state, "touch", Touch(target, "touch"));
            }

            var created = new FileState(FileKind.File, want.OwnerName ?? "", want.GroupName ?? "", FileAttributes.NewMode(p.Mode, isDirectory: false),
                0, null, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([])), []);
            var attributes = FileAttributes.Script(target, p.Owner, p.Group, p.Mode);
            Facts.Simulate(new FileProbe(target), created);
            return Changed(
                Result("path", target, "file", created),
                Change(ChangeAction.Create, target, FileState.Absent, created),
                new RemoteStep("touch " + target, Shell.Command("touch", "--", target) + (attributes.Length > 0 ? " && " + attributes : "")));
        }

        public async ValueTask<TaskPlan> LinkAsync(CancellationToken cancellationToken)
        {
            // No src: the state defaulted to link for an existing link, which stays as it points.
            var src = p.Src ?? current.LinkTarget ?? "";

            // Ansible checks src relative to path itself when path is a directory.
            var source = current.Kind == FileKind.Directory && !src.StartsWith('/') ? FileAttributes.Normalize(path + "/" + src) : LinkSource(path, src);
            var sourceState = await Facts.GetAsync<FileState>(new FileProbe(source), cancellationToken).ConfigureAwait(false);
            if (!p.Force && !sourceState.Exists)
            {
                return TaskPlan.Fail($"src file does not exist, use \"force=yes\" if you really want to create the link: {source}");
            }

            if (!p.Force && current.Kind is not (FileKind.Absent or FileKind.Link))
            {
                return TaskPlan.Fail($"refusing to convert from {FileAttributes.StateName(current)} to symlink for {path}");
            }

            var relink = !(current.Kind == FileKind.Link && current.LinkTarget == src);
            var link = new FileState(FileKind.Link, current.Kind == FileKind.Link ? current.Owner : want.OwnerName ?? "", current.Kind == FileKind.Link ? current.Group : want.GroupName ?? "", "0777", src.Length, src);
            var steps = new List<RemoteStep>();
            if (relink)
            {
                steps.Add(new RemoteStep($"link {path} -> {src}", Replace(path, ["ln", "-s", "--", src], removeDirectory: current.Kind == FileKind.Directory)));
            }

            var warnings = ImmutableArray<string>.Empty;
            var diff = relink ? Diff(path, current, link) : "";
            if (p.Follow)
            {
                var (target, targetState) = await FileAttributes.FollowAsync(Facts, path, link, false, cancellationToken).ConfigureAwait(false);
                if (targetState.Exists && targetState.Kind != FileKind.Link)
                {
                    var attributes = FileAttributes.Plan(target, targetState, want);
                    if (attributes.Step is not null)
                    {
                        steps.Add(attributes.Step);
                        diff += Diff(target, targetState, attributes.After);
                        Facts.Simulate(new FileProbe(target), attributes.After);
                    }
                }
                else if (!want.IsEmpty)
                {
                    warnings = ["Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this."];
                }
            }
            else if (want.Owner is not null || want.Group is not null)
            {
                var attributes = FileAttributes.Plan(path, relink ? link with { Owner = "", Group = "" } : link, want with { Mode = null }, noDereference: true);
                if (attributes.Step is not null)
                {
                    steps.Add(attributes.Step);
                    diff += relink ? "" : Diff(path, link, attributes.After);
                    link = attributes.After;
                }
            }

            Facts.Simulate(new FileProbe(path), link);
            var result = Result("dest", path, "link", link).SetItem("src", src);
            if (steps.Count == 0)
            {
                return TaskPlan.Ok(result, ResourceChange.NoChange(path)) with { Warnings = warnings };
            }

            var action = current.Exists ? ChangeAction.Modify : ChangeAction.Create;
            return Changed(result, new ResourceChange(path, action, Describe(path, current), Describe(path, link), diff), [.. steps]) with { Warnings = warnings };
        }

        public async ValueTask<TaskPlan> HardAsync(CancellationToken cancellationToken)
        {
            var src = p.Src!;
            var (target, state) = (path, current);
            if (current.Kind == FileKind.Directory)
            {
                target = path + "/" + FileAttributes.BaseName(src);
                state = await Facts.GetAsync<FileState>(new FileProbe(target), cancellationToken).ConfigureAwait(false);
            }

            var sourceState = await Facts.GetAsync<FileState>(new FileProbe(src), cancellationToken).ConfigureAwait(false);
            if (!sourceState.Exists)
            {
                return TaskPlan.Fail($"src does not exist: {src}");
            }

            var relink = true;
            if (state.Kind is FileKind.File or FileKind.Other)
            {
                var a = await Facts.GetAsync<CommandResult>(InodeProbe(src), cancellationToken).ConfigureAwait(false);
                var b = await Facts.GetAsync<CommandResult>(InodeProbe(target), cancellationToken).ConfigureAwait(false);
                var same = a.Succeeded && b.Succeeded && Identity(a) == Identity(b);
                if (!same && !p.Force)
                {
                    var links = b.Stdout.Trim().Split(':') is [_, _, var n] && n != "1";
                    return TaskPlan.Fail(links ? "Cannot link, different hard link exists at destination" : "Cannot link, file exists at destination");
                }

                relink = !same;
            }
            else if (state.Kind == FileKind.Directory)
            {
                return TaskPlan.Fail($"Cannot link, directory exists at destination: {target}");
            }

            // A hard link is the source's inode: it has the source's attributes.
            var before = relink ? sourceState : state;
            var attributes = FileAttributes.Plan(target, before, want);
            var steps = new List<RemoteStep>();
            if (relink)
            {
                steps.Add(new RemoteStep($"hard link {target} to {src}", Replace(target, ["ln", "--", src], removeDirectory: false)));
            }

            if (attributes.Step is not null)
            {
                steps.Add(attributes.Step);
            }

            Facts.Simulate(new FileProbe(target), attributes.After);
            Facts.Simulate(new FileProbe(src), attributes.After);
            var result = Result("dest", target, "hard", attributes.After).SetItem("src", src);
            if (steps.Count == 0)
            {
                return TaskPlan.Ok(result, ResourceChange.NoChange(target));
            }

            var after = relink ? Describe(target, attributes.After).SetItem("state", "hard").SetItem("src", src) : Describe(target, attributes.After);
            var diff = FileAttributes.Diff(target, Describe(target, relink ? state : before), after);
            return Changed(result, new ResourceChange(target, state.Exists ? ChangeAction.Modify : ChangeAction.Create, Describe(target, state), after, diff), [.. steps]);
        }

        private static string Identity(CommandResult inode) => string.Join(':', inode.Stdout.Trim().Split(':').Take(2));

        /// <summary>Attributes and times of something that exists and stays what it is.</summary>
        private TaskPlan ModifyExisting(string target, FileState state, string stateName, RemoteStep? touch)
        {
            var attributes = FileAttributes.Plan(target, state, want);
            RemoteStep[] steps = [.. new[] { touch, attributes.Step }.OfType<RemoteStep>()];
            Facts.Simulate(new FileProbe(target), attributes.After);
            var result = Result("path", target, stateName == "touch" ? FileAttributes.StateName(state) : stateName, attributes.After);
            if (steps.Length == 0)
            {
                return TaskPlan.Ok(result, ResourceChange.NoChange(target));
            }

            var diff = Diff(target, state, attributes.After);
            if (touch is not null)
            {
                diff += "times: " + touch.Description + "\n";
            }

            return Changed(result, new ResourceChange(target, ChangeAction.Modify, Describe(target, state), Describe(target, attributes.After), diff), steps);
        }

        /// <summary>The touch step for the times asked (touch defaults to now, other states to preserve).</summary>
        private RemoteStep? Touch(string target, string state)
        {
            var fallback = state == "touch" ? "now" : "preserve";
            var m = (p.ModificationTime ?? fallback) == "now";
            var a = (p.AccessTime ?? fallback) == "now";
            if (!m && !a)
            {
                return null;
            }

            var argv = new List<string> { "touch" };
            if (!p.Follow)
            {
                argv.Add("-h");
            }

            if (m != a)
            {
                argv.Add(m ? "-m" : "-a");
            }

            argv.AddRange(["--", target]);
            var what = m && a ? "access and modification time" : m ? "modification time" : "access time";
            return new RemoteStep($"set {what} of {target} to now", Shell.Command(argv));
        }

        /// <summary>The change for the rest of the tree below a directory, from one listing.</summary>
        private (RemoteStep Step, string Diff)? RecursiveChange(string target, CommandResult tree)
        {
            bool owner = false, group = false, mode = false;
            var lines = new List<string>();
            var count = 0;
            foreach (var entry in tree.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                var f = entry.Split('\t', 5);
                if (f.Length < 5)
                {
                    continue;
                }

                var state = new FileState(f[3] switch { "directory" => FileKind.Directory, "symbolic link" => FileKind.Link, _ => FileKind.File }, f[0], f[1], FileProbe.NormalizeMode(f[2]));
                var planned = FileAttributes.Plan(f[4], state, want, noDereference: true);
                if (!planned.Changed)
                {
                    continue;
                }

                owner |= planned.DiffLines.Any(l => l.StartsWith("owner:", StringComparison.Ordinal));
                group |= planned.DiffLines.Any(l => l.StartsWith("group:", StringComparison.Ordinal));
                mode |= planned.DiffLines.Any(l => l.StartsWith("mode:", StringComparison.Ordinal));
                if (++count <= TreeDiffLimit)
                {
                    lines.Add($"  {f[4]} ({string.Join(", ", planned.DiffLines)})");
                }
            }

            if (count == 0)
            {
                return null;
            }

            if (count > TreeDiffLimit)
            {
                lines.Add($"  … and {count - TreeDiffLimit} more");
            }

            var script = FileAttributes.Script(target, owner ? p.Owner : null, group ? p.Group : null, mode ? p.Mode : null, recursive: true);
            var diff = $"recurse: {count} path(s) below {target} change\n" + string.Join("\n", lines) + "\n";
            return (new RemoteStep($"set attributes below {target}", script), diff);
        }

        private async ValueTask<(string Path, FileState State)> FollowAsync(CancellationToken cancellationToken) =>
            p.Follow && current.Kind == FileKind.Link
                ? await FileAttributes.FollowAsync(Facts, path, current, false, cancellationToken).ConfigureAwait(false)
                : (path, current);

        /// <summary>Puts a new link at path atomically: made under a temp name in the same directory, renamed over.</summary>
        private static string Replace(string path, IReadOnlyList<string> lnArgv, bool removeDirectory)
        {
            if (removeDirectory)
            {
                // rmdir refuses a directory with files in it, as Ansible does.
                return Shell.Command("rmdir", "--", path) + " && " + Shell.Command([.. lnArgv, path]);
            }

            var temp = FileAttributes.Parent(path) + "/." + FileAttributes.BaseName(path) + ".XXXXXX";
            return $"sf_l=$(mktemp -u {Shell.Quote(temp)}) && {Shell.Command(lnArgv)} \"$sf_l\" && mv -Tf -- \"$sf_l\" {Shell.Quote(path)}";
        }

        private static TaskPlan Changed(ImmutableDictionary<string, object?> result, ResourceChange change, params RemoteStep[] steps) =>
            new() { Changes = [change], Steps = [.. steps], Result = result };

        private static ResourceChange Change(ChangeAction action, string path, FileState before, FileState after) =>
            new(path, action, Describe(path, before), Describe(path, after), Diff(path, before, after));

        private static ImmutableDictionary<string, object?> Describe(string path, FileState state) => FileAttributes.Describe(path, state);

        private static string Diff(string path, FileState before, FileState after) => FileAttributes.Diff(path, before, after);

        private static ImmutableDictionary<string, object?> Result(string pathKey, string path, string state, FileState after)
        {
            var result = ImmutableDictionary<string, object?>.Empty.Add(pathKey, path).Add("state", state);
            if (after.Exists)
            {
                result = result.Add("owner", after.Owner).Add("group", after.Group).Add("mode", after.Mode);
                if (after.Kind == FileKind.File)
                {
                    result = result.Add("size", after.Size);
                }
            }

            return result;
        }
    }
}
