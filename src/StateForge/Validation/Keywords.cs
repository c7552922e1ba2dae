using System.Collections.Frozen;

namespace StateForge.Validation;

/// <summary>The playbook keywords StateForge supports; anything else in a play or task is an error.</summary>
public static class Keywords
{
    public static readonly FrozenSet<string> Play = FrozenSet.Create(StringComparer.Ordinal,
        "name", "hosts", "vars", "vars_files", "become", "become_user", "become_method", "gather_facts", "tasks",
        "pre_tasks", "post_tasks", "handlers", "roles", "strategy", "tags", "check_mode", "no_log", "ignore_errors");

    public static readonly FrozenSet<string> Common = FrozenSet.Create(StringComparer.Ordinal,
        "name", "when", "tags", "become", "become_user", "become_method", "vars", "ignore_errors", "check_mode", "no_log");

    public static readonly FrozenSet<string> Task = FrozenSet.Create(StringComparer.Ordinal,
        [.. Common, "loop", "with_items", "with_list", "loop_control", "register", "notify", "changed_when", "failed_when", "retries", "until", "delay", "args", "listen"]);

    public static readonly FrozenSet<string> Block = FrozenSet.Create(StringComparer.Ordinal, [.. Common, "block", "rescue", "always"]);

    public static readonly FrozenSet<string> Include = FrozenSet.Create(StringComparer.Ordinal,
        [.. Common, "loop", "with_items", "with_list", "loop_control"]);

    /// <summary>An import_playbook entry: the file and a name, nothing else (no vars, when or tags).</summary>
    public static readonly FrozenSet<string> ImportPlaybook = FrozenSet.Create(StringComparer.Ordinal, "import_playbook", "ansible.builtin.import_playbook", "name");

    public static readonly FrozenSet<string> IncludeActions = FrozenSet.Create(StringComparer.Ordinal,
        "include_tasks", "import_tasks", "ansible.builtin.include_tasks", "ansible.builtin.import_tasks");

    public static readonly FrozenSet<string> MetaActions = FrozenSet.Create(StringComparer.Ordinal, "meta", "ansible.builtin.meta");

    public static readonly FrozenSet<string> LoopControl = FrozenSet.Create(StringComparer.Ordinal, "label", "loop_var", "index_var", "pause");

    public static readonly FrozenSet<string> RoleEntry = FrozenSet.Create(StringComparer.Ordinal, "role", "name", "vars", "tags", "when", "become", "become_user");

    public static readonly FrozenSet<string> MetaValues = FrozenSet.Create(StringComparer.Ordinal, "flush_handlers", "noop", "end_play", "end_host", "clear_host_errors");
}
