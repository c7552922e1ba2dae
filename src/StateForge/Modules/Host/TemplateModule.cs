using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using StateForge.Facts;
using StateForge.Planning;
using StateForge.Templating;
using StateForge.Transport;
using FileAttributes = StateForge.Planning.FileAttributes;

namespace StateForge.Modules.Host;

public sealed record TemplateParams
{
    [Param("The Jinja template on the controller; a relative path is looked up in the role's templates/, then beside the playbook.", Required = true)]
    public string Src { get; init; } = "";

    [Param("Where the rendered file goes on the host (inside it, with the template's name, when it is a directory).", Required = true)]
    public string Dest { get; init; } = "";

    [Param("Owner of the file (name or uid); unset keeps the current owner.")]
    public string? Owner { get; init; }

    [Param("Group of the file (name or gid); unset keeps the current group.")]
    public string? Group { get; init; }

    [Param("Permissions, quoted octal such as '0644' (or symbolic such as 'u=rw,g=r,o=r'); unset keeps the current mode, 0644 for a new file.", IsMode = true)]
    public string? Mode { get; init; }

    [Param("Copy the current file to `dest.PID.DATE@TIME~` before replacing it.")]
    public bool Backup { get; init; }

    [Param("Replace the file when its content differs; with false, only create it when it is missing.")]
    public bool Force { get; init; } = true;

    [Param("Drop the first newline after a block tag such as `{% if %}` (Jinja's trim_blocks).")]
    public bool TrimBlocks { get; init; } = true;

    [Param("Strip spaces and tabs before a block tag that starts a line (Jinja's lstrip_blocks).")]
    public bool LstripBlocks { get; init; }
}

[Module("template", "ansible.builtin.template", Description = "Renders a Jinja template on the controller and writes it to the host atomically, with a diff.")]
public sealed class TemplateModule : Module<TemplateParams>
{
    public override string Examples => """
        - name: nginx site from the role's templates/
          template:
            src: site.conf.j2
            dest: /etc/nginx/sites-available/app.conf
            owner: root
            group: root
            mode: "0644"
            backup: true

        - name: Indented blocks without stray spaces
          template:
            src: app.yml.j2
            dest: /etc/app/app.yml
            lstrip_blocks: true
        """;

    protected override IEnumerable<string> Validate(TemplateParams parameters)
    {
        if (parameters.Dest.Length == 0)
        {
            yield return "dest cannot be empty";
        }

        if (FileAttributes.ValidateMode(parameters.Mode) is { } error)
        {
            yield return error;
        }
        else if (parameters.Mode == "preserve")
        {
            yield return "mode preserve is not supported by template";
        }
    }

    protected override IEnumerable<FactProbe> Probes(TemplateParams parameters) => [new FileProbe(parameters.Dest, WithContent: true)];

    protected override async ValueTask<TaskPlan> PlanAsync(TemplateParams parameters, PlanContext context, CancellationToken cancellationToken)
    {
        var source = context.ResolveFile(parameters.Src, "templates");
        if (source is null)
        {
            return TaskPlan.Fail($"Could not find or access '{parameters.Src}' on the controller (looked in templates/ of {string.Join(", ", context.SearchPaths)})");
        }

        var dest = parameters.Dest;
        var current = await context.Facts.GetAsync<FileState>(new FileProbe(dest, WithContent: true), cancellationToken).ConfigureAwait(false);
        if (current.Kind == FileKind.Directory)
        {
            dest = dest.TrimEnd('/') + "/" + Path.GetFileName(source);
            current = await context.Facts.GetAsync<FileState>(new FileProbe(dest, WithContent: true), cancellationToken).ConfigureAwait(false);
        }

        string text;
        try
        {
            var template = await Parsing.BoundedFile.ReadAllTextAsync(source, cancellationToken).ConfigureAwait(false);
            var options = new TemplateFileOptions(parameters.TrimBlocks, parameters.LstripBlocks);
            text = context.Templates.RenderFile(template, parameters.Src, TemplateVariables(context.Variables, source, dest), options);
        }
        catch (TemplateException e)
        {
            return TaskPlan.Fail(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return TaskPlan.Fail($"cannot read the template {source}: {e.Message}");
        }

        var content = Encoding.UTF8.GetBytes(text);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(content));
        var want = Want(parameters, current, content.Length, checksum, content);
        var result = Result(dest, source, want);
        if (current.Kind == FileKind.Other || (current.Kind == FileKind.Directory))
        {
            return TaskPlan.Fail($"{dest} exists and is not a regular file");
        }

        var sameContent = current.Kind == FileKind.File && current.Sha256 == checksum;
        var keep = current.Exists && !parameters.Force;
        var attributeLines = AttributeLines(current, want);
        if (keep || (sameContent && attributeLines.Count == 0))
        {
            return TaskPlan.Ok(result, ResourceChange.NoChange(dest));
        }

        context.Facts.Simulate(new FileProbe(dest, WithContent: true), want);
        if (sameContent)
        {
            var step = new RemoteStep($"set attributes of {dest}", AttributeScript(dest, parameters, current, want));
            var diff = TextDiff.Unified(string.Join("", attributeLines.Select(l => l.Before)), string.Join("", attributeLines.Select(l => l.After)), "before: " + dest, "after: " + dest);
            return new TaskPlan { Changes = [new ResourceChange(dest, ChangeAction.Modify, Describe(current), Describe(want), diff)], Steps = [step], Result = result };
        }

        var before = current.Kind == FileKind.File ? current.Text : null;
        var contentDiff = before is null && current.Exists
            ? $"--- before: {dest}\n+++ after: {dest}\n(content of the current file is not shown: larger than {FileProbe.ContentLimit} bytes or not a regular file)\n"
            : TextDiff.Unified(before ?? "", text, current.Exists ? "before: " + dest : "/dev/null", "after: " + dest);
        var write = AtomicWrite.Build(dest, content, parameters.Owner, parameters.Group, parameters.Mode, parameters.Backup && current.Exists);
        var action = current.Exists ? ChangeAction.Modify : ChangeAction.Create;
        return new TaskPlan
        {
            Changes = [new ResourceChange(dest, action, current.Exists ? Describe(current) : null, Describe(want), contentDiff)],
            Steps = [write],
            Result = result,
        };
    }

    protected override TaskPlan Complete(TemplateParams parameters, TaskPlan plan, IReadOnlyList<StepResult> results)
    {
        var completed = base.Complete(parameters, plan, results);
        if (completed.Failed || !parameters.Backup || results.Count == 0 || AtomicWrite.BackupPath(results[0]) is not { } backup)
        {
            return completed;
        }

        return completed with { Result = completed.Result.SetItem("backup_file", backup) };
    }

    /// <summary>The variables Ansible adds for a template: where it came from and where it goes.</summary>
    private static Dictionary<string, object?> TemplateVariables(IReadOnlyDictionary<string, object?> variables, string source, string dest)
    {
        var all = new Dictionary<string, object?>(variables, StringComparer.Ordinal)
        {
            ["template_path"] = source,
            ["template_fullpath"] = Path.GetFullPath(source),
            ["template_destpath"] = dest,
            ["template_run_date"] = DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
        };
        all.TryAdd("ansible_managed", "Ansible managed");
        return all;
    }

    /// <summary>The file as it will be: new content, asked attributes (symbolic modes resolved), the rest kept (0644 for a new file).</summary>
    private static FileState Want(TemplateParams p, FileState current, long size, string checksum, byte[] content)
    {
        var mode = current.Exists && current.Mode.Length > 0
            ? p.Mode is null ? current.Mode : FileAttributes.Format(FileAttributes.Resolve(p.Mode, FileAttributes.ParseOctal(current.Mode), isDirectory: false))
            : FileAttributes.NewMode(p.Mode, isDirectory: false);
        return new FileState(FileKind.File, p.Owner ?? current.Owner, p.Group ?? current.Group, mode, size, null, checksum, content);
    }

    private static List<(string Before, string After)> AttributeLines(FileState current, FileState want)
    {
        var lines = new List<(string, string)>();
        if (!current.Exists)
        {
            return lines;
        }

        foreach (var (name, before, after) in new[] { ("owner", current.Owner, want.Owner), ("group", current.Group, want.Group), ("mode", current.Mode, want.Mode) })
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                lines.Add(($"{name}: {before}\n", $"{name}: {after}\n"));
            }
        }

        return lines;
    }

    private static string AttributeScript(string dest, TemplateParams p, FileState current, FileState want)
    {
        var commands = new List<string>();
        if (p.Owner is not null && want.Owner != current.Owner)
        {
            commands.Add(Shell.Command("chown", "--", p.Owner, dest));
        }

        if (p.Group is not null && want.Group != current.Group)
        {
            commands.Add(Shell.Command("chgrp", "--", p.Group, dest));
        }

        if (p.Mode is not null && want.Mode != current.Mode)
        {
            commands.Add(Shell.Command("chmod", "--", FileAttributes.ChmodArgument(p.Mode), dest));
        }

        return string.Join(" && ", commands);
    }

    private static ImmutableDictionary<string, object?> Describe(FileState state) =>
        ImmutableDictionary<string, object?>.Empty
            .Add("owner", state.Owner)
            .Add("group", state.Group)
            .Add("mode", state.Mode)
            .Add("size", state.Size)
            .Add("checksum", state.Sha256);

    private static ImmutableDictionary<string, object?> Result(string dest, string source, FileState want) =>
        ImmutableDictionary<string, object?>.Empty
            .Add("dest", dest)
            .Add("src", source)
            .Add("checksum", want.Sha256)
            .Add("size", want.Size)
            .Add("mode", want.Mode)
            .Add("owner", want.Owner)
            .Add("group", want.Group)
            .Add("state", "file");
}
