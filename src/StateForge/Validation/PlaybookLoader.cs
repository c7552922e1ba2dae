using System.Collections.Immutable;
using StateForge.Diagnostics;
using StateForge.Model;
using StateForge.Modules;
using StateForge.Parsing;

namespace StateForge.Validation;

/// <summary>
/// Loads and validates a whole playbook — every play, vars file, role and include — before any
/// host is contacted. All problems are reported at once in the diagnostics.
/// </summary>
public sealed class PlaybookLoader
{
    private readonly DiagnosticBag diagnostics;
    private readonly NodeReader read;
    private readonly TaskParser tasks;
    private readonly Dictionary<string, YNode?> files = new(StringComparer.Ordinal);
    private readonly IncludeGuard guard;

    public PlaybookLoader(ModuleCatalog catalog, DiagnosticBag diagnostics)
    {
        this.diagnostics = diagnostics;
        read = new NodeReader(diagnostics);
        guard = new IncludeGuard(diagnostics);
        tasks = new TaskParser(catalog, read, LoadYaml, guard);
    }

    public Playbook Load(string path)
    {
        var display = DisplayPath(path);
        if (!File.Exists(path))
        {
            diagnostics.Add(DiagnosticCatalog.FileNotFound(SourceSpan.None, "playbook", display));
            return new Playbook(display, []);
        }

        return new Playbook(display, LoadPlays(display, new SourceSpan(display, 1, 1)));
    }

    /// <summary>Paths are shown relative to the working directory when they are below it.</summary>
    public static string DisplayPath(string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }

    /// <summary>A file's YAML, parsed once; a file that cannot be read is an error at <paramref name="from"/>, where it is named.</summary>
    private YNode? LoadYaml(string path, SourceSpan from)
    {
        var display = DisplayPath(path);
        if (!files.TryGetValue(display, out var node))
        {
            node = YamlLoader.LoadFile(display, diagnostics, from.IsNone ? null : from);
            files[display] = node;
        }

        return node;
    }

    private ImmutableArray<Play> LoadPlays(string path, SourceSpan from)
    {
        if (!guard.TryEnter(path, from))
        {
            return [];
        }

        try
        {
            var root = LoadYaml(path, from);
            if (root is null)
            {
                if (!diagnostics.HasErrors)
                {
                    diagnostics.Add(DiagnosticCatalog.EmptyPlaybook(new SourceSpan(path, 1, 1)));
                }

                return [];
            }

            if (read.Sequence(root, "a playbook") is not { } seq)
            {
                return [];
            }

            var plays = ImmutableArray.CreateBuilder<Play>();
            foreach (var item in seq.Items)
            {
                if (read.Mapping(item, "each play") is not { } m)
                {
                    continue;
                }

                if ((m["import_playbook"] ?? m["ansible.builtin.import_playbook"]) is { } imported)
                {
                    read.CheckKeys(m, Keywords.ImportPlaybook, "import_playbook");
                    var file = read.String(imported, "import_playbook");
                    var resolved = file is null ? null : Path.Combine(Path.GetDirectoryName(path) ?? ".", file);
                    if (resolved is not null && File.Exists(resolved))
                    {
                        plays.AddRange(LoadPlays(DisplayPath(resolved), imported.Span));
                    }
                    else if (file is not null)
                    {
                        diagnostics.Add(DiagnosticCatalog.FileNotFound(imported.Span, "imported playbook", file));
                    }

                    continue;
                }

                if (ParsePlay(m, path) is { } play)
                {
                    plays.Add(play);
                }
            }

            return plays.ToImmutable();
        }
        finally
        {
            guard.Exit();
        }
    }

    private Play? ParsePlay(YMapping m, string file)
    {
        read.CheckKeys(m, Keywords.Play, "play");
        if (m["hosts"] is not { } hostsNode)
        {
            diagnostics.Add(DiagnosticCatalog.MissingKeyword(m.Span, "a play", "hosts"));
            return null;
        }

        var hosts = string.Join(':', read.Strings(hostsNode, "hosts"));
        var dir = Path.GetDirectoryName(file) ?? ".";
        var play = new Play
        {
            Name = m["name"] is { } n ? read.String(n, "name") ?? hosts : hosts,
            Hosts = hosts,
            Span = m.Span,
            Vars = m["vars"] is { } v ? read.Vars(v, "vars") : ImmutableDictionary<string, object?>.Empty,
            VarsFiles = m["vars_files"] is { } vf ? LoadVarsFiles(vf, dir) : ImmutableDictionary<string, object?>.Empty,
            Become = m["become"] is { } b ? read.Bool(b, "become") : null,
            BecomeUser = m["become_user"] is { } bu ? read.String(bu, "become_user") : null,
            GatherFacts = m["gather_facts"] is not { } gf || (read.Bool(gf, "gather_facts") ?? true),
            Strategy = m["strategy"] is { } s ? read.String(s, "strategy") ?? "linear" : "linear",
            Tags = m["tags"] is { } t ? read.Tags(t) : [],
        };
        if (play.Strategy is not ("linear" or "free"))
        {
            diagnostics.Add(DiagnosticCatalog.InvalidChoice(m["strategy"]!.Span, "strategy", play.Strategy, ["free", "linear"]));
        }

        var roleDefaults = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        var roleTasks = ImmutableArray.CreateBuilder<TaskNode>();
        var handlers = ImmutableArray.CreateBuilder<TaskDefinition>();
        if (m["roles"] is { } rolesNode && read.Sequence(rolesNode, "roles") is { } roles)
        {
            foreach (var entry in roles.Items)
            {
                LoadRole(entry, dir, roleDefaults, roleTasks, handlers);
            }
        }

        handlers.AddRange(tasks.ParseList(m["handlers"], file, null, "handlers").OfType<TaskDefinition>());
        var all = ImmutableArray.CreateBuilder<TaskNode>();
        all.AddRange(tasks.ParseList(m["pre_tasks"], file, null, "pre_tasks"));
        all.AddRange(roleTasks);
        all.AddRange(tasks.ParseList(m["tasks"], file, null, "tasks"));
        all.AddRange(tasks.ParseList(m["post_tasks"], file, null, "post_tasks"));
        play = play with { Tasks = all.ToImmutable(), Handlers = handlers.ToImmutable(), RoleDefaults = roleDefaults.ToImmutable() };
        CheckNotify(play);
        return play;
    }

    private ImmutableDictionary<string, object?> LoadVarsFiles(YNode node, string dir)
    {
        var merged = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        foreach (var (name, i) in read.Strings(node, "vars_files").Select((n, i) => (n, i)))
        {
            var at = node is YSequence s ? s.Items[i].Span : node.Span;
            if (name.Contains("{{", StringComparison.Ordinal))
            {
                diagnostics.Add(DiagnosticCatalog.InvalidValue(at, "vars_files", "file names must be literal"));
                continue;
            }

            var path = Path.IsPathRooted(name) ? name : Path.Combine(dir, name);
            if (!File.Exists(path))
            {
                diagnostics.Add(DiagnosticCatalog.FileNotFound(at, "vars file", name));
                continue;
            }

            if (LoadYaml(path, at) is { } root)
            {
                foreach (var (k, v) in read.Vars(root, $"vars file {name}"))
                {
                    merged[k] = v;
                }
            }
        }

        return merged.ToImmutable();
    }

    private void LoadRole(YNode entry, string playbookDir, ImmutableDictionary<string, object?>.Builder defaults, ImmutableArray<TaskNode>.Builder roleTasks, ImmutableArray<TaskDefinition>.Builder handlers)
    {
        string? name;
        var roleParams = ImmutableDictionary<string, object?>.Empty;
        YMapping? roleMap = null;
        if (entry is YMapping m)
        {
            roleMap = m;
            name = (m["role"] ?? m["name"]) is { } r ? read.String(r, "role") : null;
            if (name is null)
            {
                diagnostics.Add(DiagnosticCatalog.MissingKeyword(m.Span, "a role entry", "role"));
                return;
            }

            // Keys that are not role keywords are role parameters, as in Ansible.
            roleParams = m.Entries.Where(e => !Keywords.RoleEntry.Contains(e.Key.Value))
                .ToImmutableDictionary(e => e.Key.Value, e => e.Value.ToPlain(), StringComparer.Ordinal);
            if (m["vars"] is { } rv)
            {
                roleParams = roleParams.SetItems(read.Vars(rv, "vars"));
            }
        }
        else
        {
            name = read.String(entry, "role");
        }

        if (name is null)
        {
            return;
        }

        string[] searched = [Path.Combine(playbookDir, "roles"), Path.Combine(".", "roles")];
        var roleDir = searched.Select(d => Path.Combine(d, name)).FirstOrDefault(Directory.Exists);
        if (roleDir is null)
        {
            diagnostics.Add(DiagnosticCatalog.RoleNotFound(entry.Span, name, searched));
            return;
        }

        foreach (var (k, v) in VarsOf(Path.Combine(roleDir, "defaults"), entry.Span))
        {
            defaults[k] = v;
        }

        var role = new RoleContext(name, roleDir, VarsOf(Path.Combine(roleDir, "vars"), entry.Span), roleParams);
        var tasksFile = MainFile(Path.Combine(roleDir, "tasks"));
        var parsed = tasksFile is null ? [] : tasks.ParseFile(tasksFile, entry.Span, role);
        if (roleMap is not null && (roleMap["when"] is not null || roleMap["tags"] is not null || roleMap["become"] is not null))
        {
            // Keywords on a role entry apply to each of its tasks: wrap them in a block.
            var wrapper = new BlockDefinition
            {
                Span = entry.Span,
                Block = parsed,
                Role = role,
                When = roleMap["when"] is { } w ? read.Strings(w, "when") : [],
                Tags = roleMap["tags"] is { } t ? read.Tags(t) : [],
                Become = roleMap["become"] is { } b ? read.Bool(b, "become") : null,
                BecomeUser = roleMap["become_user"] is { } bu ? read.String(bu, "become_user") : null,
            };
            roleTasks.Add(wrapper);
        }
        else
        {
            roleTasks.AddRange(parsed);
        }

        if (MainFile(Path.Combine(roleDir, "handlers")) is { } handlersFile)
        {
            handlers.AddRange(tasks.ParseFile(handlersFile, entry.Span, role).OfType<TaskDefinition>());
        }
    }

    private ImmutableDictionary<string, object?> VarsOf(string dir, SourceSpan role) =>
        MainFile(dir) is { } file && LoadYaml(file, role) is { } node
            ? read.Vars(node, $"variables in {DisplayPath(file)}")
            : ImmutableDictionary<string, object?>.Empty;

    private static string? MainFile(string dir) =>
        new[] { "main.yml", "main.yaml" }.Select(f => Path.Combine(dir, f)).FirstOrDefault(File.Exists);

    private void CheckNotify(Play play)
    {
        var topics = play.Handlers.SelectMany(h => h.Listen.Append(h.Name ?? "")).ToHashSet(StringComparer.Ordinal);
        foreach (var task in Flatten(play.Tasks).Concat(play.Handlers))
        {
            foreach (var name in task.Notify.Where(n => !topics.Contains(n)))
            {
                diagnostics.Add(DiagnosticCatalog.HandlerNotFound(task.Span, name));
            }
        }
    }

    public static IEnumerable<TaskDefinition> Flatten(IEnumerable<TaskNode> nodes)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TaskDefinition t:
                    yield return t;
                    break;
                case BlockDefinition b:
                    foreach (var t in Flatten(b.Block.Concat(b.Rescue).Concat(b.Always)))
                    {
                        yield return t;
                    }

                    break;
                case IncludeDefinition i:
                    foreach (var t in Flatten(i.Tasks))
                    {
                        yield return t;
                    }

                    break;
            }
        }
    }
}
