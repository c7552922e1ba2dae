using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using StateForge.Facts;
using StateForge.Modules.Host.Sysctl;
using StateForge.Planning;
using StateForge.Transport;
using FileAttributes = StateForge.Planning.FileAttributes;

namespace StateForge.Modules.Host;

[Module("sysctl", "ansible.posix.sysctl",
    Description = "Sets one kernel parameter in a sysctl.conf file and, separately, in the running kernel (sysctl -w of that key, verified by reading it back).")]
public sealed class SysctlModule : Module<SysctlParams>
{
    public override string Examples => """
        - name: Forward packets, now and after a reboot
          sysctl:
            name: net.ipv4.ip_forward
            value: "1"
            sysctl_file: /etc/sysctl.d/90-forward.conf

        - name: A wider local port range (whitespace does not matter)
          sysctl:
            name: net.ipv4.ip_local_port_range
            value: "32768   60999"

        - name: Pin lockd's port for the NFS firewall rules; the key appears only once lockd is loaded
          sysctl:
            name: fs.nfs.nlm_tcpport
            value: "53248"
            ignore_missing: true

        - name: Only the file, not the running kernel
          sysctl:
            name: vm.swappiness
            value: "10"
            reload: false

        - name: No assignment of the key left in the file
          sysctl:
            name: kernel.panic
            state: absent
        """;

    protected override IEnumerable<string> Validate(SysctlParams p)
    {
        if (SysctlKey.Problem(p.Name) is { } keyProblem)
        {
            yield return keyProblem;
        }

        if (p.State == SysctlState.Present && string.IsNullOrWhiteSpace(p.Value))
        {
            yield return "value is required with state present";
        }

        if (p.Value is { } v && v.Any(c => char.IsControl(c) && c != '\t'))
        {
            yield return "value must be one line (no newlines or control characters)";
        }

        if (!p.SysctlFile.StartsWith('/') || p.SysctlFile.Any(char.IsControl) || p.SysctlFile.EndsWith('/'))
        {
            yield return $"sysctl_file must be an absolute file path, not '{p.SysctlFile}'";
        }
    }

    protected override IEnumerable<FactProbe> Probes(SysctlParams p)
    {
        yield return new FileProbe(p.SysctlFile, WithContent: true);
        if (ManagesRuntime(p))
        {
            yield return new SysctlValueProbe(SysctlKey.ProcPath(p.Name));
        }
    }

    protected override async ValueTask<TaskPlan> PlanAsync(SysctlParams p, PlanContext context, CancellationToken cancellationToken)
    {
        var key = SysctlKey.Dotted(p.Name);
        var want = p.Value is null ? null : SysctlKey.NormaliseValue(p.Value);
        var changes = ImmutableArray.CreateBuilder<ResourceChange>();
        var steps = ImmutableArray.CreateBuilder<RemoteStep>();
        var warnings = ImmutableArray.CreateBuilder<string>();
        var result = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        result["name"] = key;
        result["value"] = want;
        result["state"] = p.State == SysctlState.Present ? "present" : "absent";
        result["sysctl_file"] = p.SysctlFile;

        // The running value first: a value the kernel refuses stops the task before the file records it.
        if (ManagesRuntime(p) && p.State == SysctlState.Present && want is not null)
        {
            var probe = new SysctlValueProbe(SysctlKey.ProcPath(p.Name));
            var now = await context.Facts.GetAsync<SysctlValue>(probe, cancellationToken).ConfigureAwait(false);
            switch (now.Presence)
            {
                case SysctlPresence.Missing when p.IgnoreMissing:
                    warnings.Add($"{key} does not exist in the running kernel ({probe.Path} is missing); it is only persisted to {p.SysctlFile} and takes effect once the kernel has the key and the file is read");
                    break;
                case SysctlPresence.Missing:
                    return TaskPlan.Fail(
                        $"sysctl key {key} does not exist on {context.Host}: {probe.Path} is missing (the kernel module that provides it is not loaded?); " +
                        "load it first, or set ignore_missing: true to only persist the key");
                case SysctlPresence.Unreadable:
                    return TaskPlan.Fail($"cannot read sysctl key {key} on {context.Host}: {now.Detail}");
                default:
                    var current = SysctlKey.NormaliseValue(now.Value);
                    result["runtime_value"] = current;
                    var resource = $"sysctl {key} runtime";
                    if (current == want)
                    {
                        changes.Add(ResourceChange.NoChange(resource));
                        break;
                    }

                    changes.Add(new ResourceChange(resource, ChangeAction.Modify, current, want,
                        TextDiff.Unified($"{key} = {current}\n", $"{key} = {want}\n", "running kernel (before)", "running kernel (after)")));
                    steps.Add(new RemoteStep($"sysctl -w {key}={want}", WriteAndVerify(p.Name, key, want, probe.Path)));
                    context.Facts.Simulate(probe, new SysctlValue(SysctlPresence.Present, want));
                    break;
            }
        }

        if (await PlanFileAsync(p, key, want, context, changes, steps, cancellationToken).ConfigureAwait(false) is { } error)
        {
            return TaskPlan.Fail(error);
        }

        return new TaskPlan { Changes = changes.ToImmutable(), Steps = steps.ToImmutable(), Warnings = warnings.ToImmutable(), Result = result.ToImmutable() };
    }

    private static bool ManagesRuntime(SysctlParams p) => p.Reload || p.SysctlSet;

    private static async ValueTask<string?> PlanFileAsync(
        SysctlParams p, string key, string? want, PlanContext context,
        ImmutableArray<ResourceChange>.Builder changes, ImmutableArray<RemoteStep>.Builder steps, CancellationToken cancellationToken)
    {
        var path = p.SysctlFile;
        var state = await context.Facts.GetAsync<FileState>(new FileProbe(path, WithContent: true), cancellationToken).ConfigureAwait(false);
        (path, state) = await FileAttributes.FollowAsync(context.Facts, path, state, withContent: true, cancellationToken).ConfigureAwait(false);
        if (state.Exists && (state.Kind != FileKind.File || state.Content is null))
        {
            return $"{path} is not a regular file of at most {FileProbe.ContentLimit} bytes; cannot edit it";
        }

        var text = state.Text ?? "";
        var conf = SysctlConf.Parse(text);
        var before = conf.Value(p.Name);
        if (p.State == SysctlState.Present)
        {
            if (before is not null && SysctlKey.NormaliseValue(before) == want)
            {
                changes.Add(ResourceChange.NoChange($"sysctl {key} file {path}"));
                return null;
            }

            conf.Set(p.Name.Trim(), want!);
        }
        else
        {
            conf.Remove(p.Name);
        }

        var after = conf.Render();
        if (after == text)
        {
            changes.Add(ResourceChange.NoChange($"sysctl {key} file {path}"));
            return null;
        }

        var content = Encoding.UTF8.GetBytes(after);
        if (!state.Exists)
        {
            steps.Add(new RemoteStep("create directory of " + path, Shell.Command("mkdir", "-p", "--", FileAttributes.Parent(path))));
        }

        steps.Add(AtomicWrite.Build(path, content, owner: null, group: null, mode: state.Exists ? null : "0644", backup: false));
        changes.Add(new ResourceChange(
            $"sysctl {key} file {path}",
            !state.Exists ? ChangeAction.Create : p.State == SysctlState.Absent ? ChangeAction.Delete : ChangeAction.Modify,
            before,
            p.State == SysctlState.Present ? want : null,
            TextDiff.Unified(text, after, "before: " + path, "after: " + path)));
        context.Facts.Simulate(new FileProbe(path, WithContent: true), state.Rewritten(content));
        return null;
    }

    /// <summary>
    /// `sysctl -w` of this one key, then the value read back from /proc/sys: sysctl may exit 0 when
    /// the kernel refused the write, so the read-back decides, and a mismatch fails with sysctl's
    /// own message.
    /// </summary>
    private static string WriteAndVerify(string name, string key, string want, string procPath) =>
        $"sf_err=$({Shell.Command("sysctl", "-w", name.Trim() + "=" + want)} 2>&1 >/dev/null); sf_rc=$?\n" +
        $"set -f; set -- $(cat -- {Shell.Quote(procPath)} 2>/dev/null); sf_now=\"$*\"\n" +
        $"[ \"$sf_now\" = {Shell.Quote(want)} ] && exit 0\n" +
        "[ -n \"$sf_err\" ] && printf '%s\\n' \"$sf_err\" >&2\n" +
        $"printf '%s reads \"%s\" after sysctl -w (exit %s), not %s\\n' {Shell.Quote(key)} \"$sf_now\" \"$sf_rc\" {Shell.Quote(want)} >&2\n" +
        "exit 1";
}
