using System.Collections.Immutable;
using StateForge.Diagnostics;
using StateForge.Model;
using StateForge.Modules;
using StateForge.Parsing;

namespace StateForge.Validation;

/// <summary>Parses task lists (tasks, handlers, blocks, includes) into the model, checking everything.</summary>
internal sealed class TaskParser(ModuleCatalog catalog, NodeReader read, Func<string, SourceSpan, YNode?> loadFile, IncludeGuard guard)
{

    public DiagnosticBag Diagnostics => read.Diagnostics;

    public ImmutableArray<TaskNode> ParseList(YNode? node, string file, RoleContext? role, string what)
    {
        if (node is null || read.Sequence(node, what) is not { } seq)
        {
            return [];
        }

        var tasks = ImmutableArray.CreateBuilder<TaskNode>();
        foreach (var item in seq.Items)
        {
            if (read.Mapping(item, $"each item of {what}") is { } m && Parse(m, file, role) is { } task)
            {
                tasks.Add(task);
            }
        }

        return tasks.ToImmutable();
    }

    /// <summary>Loads a task file, e.g. a role's tasks/main.yml or an included file.</summary>
    public ImmutableArray<TaskNode> ParseFile(string path, SourceSpan from, RoleContext? role)
    {
        if (!guard.TryEnter(path, from))
        {
            return [];
        }

        try
        {
            var node = loadFile(path, from);
            return node is null ? [] : ParseList(node, path, role, $"tasks in {path}");
        }
        finally
        {
            guard.Exit();
        }
    }

    private TaskNode? Parse(YMapping m, string file, RoleContext? role)
    {
        if (m.Has("block"))
        {
            return ParseBlock(m, file, role);
        }

        var includeKey = m.Entries.FirstOrDefault(e => Keywords.IncludeActions.Contains(e.Key.Value));
        if (includeKey is not null)
        {
            return ParseInclude(m, includeKey, file, role);
        }

        var metaKey = m.Entries.FirstOrDefault(e => Keywords.MetaActions.Contains(e.Key.Value));
        if (metaKey is not null)
        {
            read.CheckKeys(m, Keywords.Common.Append(metaKey.Key.Value).ToHashSet(), "task");
            var action = read.String(metaKey.Value, "meta") ?? "noop";
            if (!Keywords.MetaValues.Contains(action))
            {
                Diagnostics.Add(DiagnosticCatalog.InvalidChoice(metaKey.Value.Span, "meta", action, Keywords.MetaValues.Order()));
            }

            return Common(new MetaDefinition { Action = action, Span = m.Span }, m, role);
        }

        return ParseModuleTask(m, file, role);
    }

    private TaskDefinition? ParseModuleTask(YMapping m, string file, RoleContext? role)
    {
        var moduleEntries = m.Entries.Where(e => !Keywords.Task.Contains(e.Key.Value)).ToList();
        if (moduleEntries.Count == 0)
        {
            Diagnostics.Add(DiagnosticCatalog.NoModule(m.Span));
            return null;
        }

        var known = moduleEntries.Where(e => catalog.Find(e.Key.Value) is not null).ToList();
        foreach (var e in moduleEntries.Where(e => catalog.Find(e.Key.Value) is null))
        {
            var near = Suggestions.Nearest(e.Key.Value, catalog.Names.Concat(Keywords.Task));
            Diagnostics.Add(known.Count > 0 && Keywords.Task.Contains(near ?? "")
                ? DiagnosticCatalog.UnknownKeyword(e.Key.Span, e.Key.Value, "task", near)
                : DiagnosticCatalog.UnknownModule(e.Key.Span, e.Key.Value, near));
        }

        if (known.Count > 1)
        {
            Diagnostics.Add(DiagnosticCatalog.MultipleModules(known[1].Key.Span, known.Select(k => k.Key.Value)));
        }

        if (known.Count == 0)
        {
            return null;
        }

        var moduleEntry = known[0];
        var module = catalog.Find(moduleEntry.Key.Value)!;
        var args = ModuleArgs(module, moduleEntry.Value, m["args"]);
        if (args is null)
        {
            return null;
        }

        ArgumentChecker.Check(module, args, moduleEntry.Key.Span, Diagnostics);

        var task = new TaskDefinition
        {
            Span = m.Span,
            ModuleName = module.Info.Name,
            Module = module,
            Args = args,
        };
        foreach (var e in m.Entries)
        {
            var v = e.Value;
            task = e.Key.Value switch
            {
                "loop" or "with_items" or "with_list" => task with { Loop = LoopValue(e) },
                "loop_control" => LoopControl(task, v),
                "register" => task with { Register = read.String(v, "register") },
                "notify" => task with { Notify = read.Strings(v, "notify") },
                "listen" => task with { Listen = read.Strings(v, "listen") },
                "changed_when" => task with { ChangedWhen = Condition(v, "changed_when") },
                "failed_when" => task with { FailedWhen = Condition(v, "failed_when") },
                "until" => task with { Until = Condition(v, "until") },
                "retries" => task with { Retries = read.Int(v, "retries") },
                "delay" => task with { Delay = Delay(v) },
                _ => task,
            };
        }

        return Common(task, m, role);
    }

    /// <summary>`loop` takes a list or a template giving one; anything else fails every run, so say so now.</summary>
    private object? LoopValue(YEntry entry)
    {
        var value = entry.Value.ToPlain();
        var ok = value switch
        {
            null or IList<object?> => true,
            string s => entry.Key.Value != "loop" || ArgumentChecker.ContainsTemplate(s),
            _ => entry.Key.Value != "loop",
        };
        if (!ok)
        {
            Diagnostics.Add(DiagnosticCatalog.WrongType(entry.Value.Span, "loop", "a list or a template that gives one", entry.Value.KindName));
        }

        return value;
    }

    /// <summary>Seconds between retries: a number, or a template (checked when rendered).</summary>
    private double Delay(YNode node)
    {
        switch (node is YScalar s ? s.ToPlain() : null)
        {
            case long or double:
                return Convert.ToDouble(((YScalar)node).ToPlain(), System.Globalization.CultureInfo.InvariantCulture);
            case string text when ArgumentChecker.ContainsTemplate(text):
                return 5;
            default:
                Diagnostics.Add(DiagnosticCatalog.WrongType(node.Span, "delay", "a number of seconds", node.KindName));
                return 5;
        }
    }

    private TaskDefinition LoopControl(TaskDefinition task, YNode node)
    {
        if (read.Mapping(node, "loop_control") is not { } lc)
        {
            return task;
        }

        read.CheckKeys(lc, Keywords.LoopControl, "loop_control");
        return task with
        {
            LoopLabel = lc["label"] is { } l ? read.String(l, "loop_control.label") : null,
            LoopVar = lc["loop_var"] is { } lv ? read.String(lv, "loop_control.loop_var") ?? "item" : "item",
        };
    }

    private string? Condition(YNode node, string what)
    {
        var parts = read.Strings(node, what);
        return parts.Length switch
        {
            0 => null,
            1 => parts[0],
            _ => string.Join(" and ", parts.Select(p => $"({p})")),
        };
    }

    /// <summary>The module's arguments as a mapping: written as one, as `k=v` text, or free-form.</summary>
    private YMapping? ModuleArgs(IModule module, YNode value, YNode? extraArgs)
    {
        var schema = ParameterSchema.For(module.ParametersType);
        YMapping? args;
        if (value is YMapping map)
        {
            args = map;
        }
        else if (value is YScalar s && s.ToPlain() is null)
        {
            args = new YMapping([], s.Span);
        }
        else if (value is YScalar text)
        {
            args = InlineArgs(module, schema, text);
        }
        else
        {
            Diagnostics.Add(DiagnosticCatalog.WrongType(value.Span, $"arguments of '{module.Info.Name}'", "a mapping or a string", value.KindName));
            return null;
        }

        if (args is not null && extraArgs is not null && read.Mapping(extraArgs, "args") is { } more)
        {
            args = new YMapping([.. args.Entries, .. more.Entries.Where(e => !args.Has(e.Key.Value))], args.Span);
        }

        return args;
    }

    private YMapping? InlineArgs(IModule module, ParameterSchema schema, YScalar text)
    {
        var tokens = KeyValueArgs.Split(text.Value);
        var entries = ImmutableArray.CreateBuilder<YEntry>();
        var freeText = new List<string>();
        foreach (var t in tokens)
        {
            if (t.Key is not null && (schema.ByName.ContainsKey(t.Key) || schema.FreeForm is null))
            {
                entries.Add(new YEntry(new YScalar(t.Key, YScalarStyle.Plain, null, text.Span), new YScalar(t.Value ?? "", YScalarStyle.Quoted, null, text.Span)));
            }
            else
            {
                freeText.Add(t.Text);
            }
        }

        if (freeText.Count > 0)
        {
            if (schema.FreeForm is not { } ff || ParameterSchema.IsDictionary(ff.Type))
            {
                Diagnostics.Add(DiagnosticCatalog.WrongShape(text.Span, $"arguments of '{module.Info.Name}'", "a mapping or key=value pairs"));
                return null;
            }

            entries.Add(new YEntry(new YScalar(ff.Name, YScalarStyle.Plain, null, text.Span), new YScalar(string.Join(' ', freeText), YScalarStyle.Quoted, null, text.Span)));
        }

        return new YMapping(entries.ToImmutable(), text.Span);
    }

    private BlockDefinition ParseBlock(YMapping m, string file, RoleContext? role)
    {
        read.CheckKeys(m, Keywords.Block, "block");
        var block = new BlockDefinition
        {
            Span = m.Span,
            Block = ParseList(m["block"], file, role, "block"),
            Rescue = ParseList(m["rescue"], file, role, "rescue"),
            Always = ParseList(m["always"], file, role, "always"),
        };
        return Common(block, m, role);
    }

    private IncludeDefinition? ParseInclude(YMapping m, YEntry includeKey, string file, RoleContext? role)
    {
        read.CheckKeys(m, Keywords.Include.Append(includeKey.Key.Value).ToHashSet(), "include");
        string? path = includeKey.Value switch
        {
            YMapping args when args["file"] is { } f => read.String(f, "file"),
            var v => read.String(v, includeKey.Key.Value),
        };
        if (path is null)
        {
            return null;
        }

        if (path.Contains("{{", StringComparison.Ordinal))
        {
            Diagnostics.Add(DiagnosticCatalog.InvalidValue(includeKey.Value.Span, includeKey.Key.Value, "the file name must be literal so the whole playbook can be validated before it runs"));
            return null;
        }

        var baseDir = role is not null ? Path.Combine(role.Path, "tasks") : Path.GetDirectoryName(file) ?? ".";
        var resolved = Path.IsPathRooted(path) ? path : Path.Combine(baseDir, path);
        if (!File.Exists(resolved))
        {
            Diagnostics.Add(DiagnosticCatalog.FileNotFound(includeKey.Value.Span, "included task file", resolved));
            return null;
        }

        var include = new IncludeDefinition
        {
            Span = m.Span,
            File = resolved,
            Tasks = ParseFile(resolved, includeKey.Value.Span, role),
            Loop = m.Entries.FirstOrDefault(e => e.Key.Value is "loop" or "with_items" or "with_list") is { } loop ? LoopValue(loop) : null,
            LoopVar = m["loop_control"] is YMapping lc && lc["loop_var"] is YScalar lv ? lv.Value : "item",
        };
        return Common(include, m, role);
    }

    private T Common<T>(T node, YMapping m, RoleContext? role)
        where T : TaskNode
    {
        node = node with { Role = role };
        foreach (var e in m.Entries)
        {
            var v = e.Value;
            node = e.Key.Value switch
            {
                "name" => node with { Name = read.String(v, "name") },
                "when" => node with { When = read.Strings(v, "when") },
                "tags" => node with { Tags = read.Tags(v) },
                "become" => node with { Become = read.Bool(v, "become") },
                "become_user" => node with { BecomeUser = read.String(v, "become_user") },
                "vars" => node with { Vars = read.Vars(v, "vars") },
                "ignore_errors" => node with { IgnoreErrors = read.Bool(v, "ignore_errors") ?? false },
                "check_mode" => node with { CheckMode = read.Bool(v, "check_mode") },
                "no_log" => node with { NoLog = read.Bool(v, "no_log") ?? false },
                _ => node,
            };
        }

        return node;
    }
}
