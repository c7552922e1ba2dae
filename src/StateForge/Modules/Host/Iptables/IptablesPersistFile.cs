using StateForge.Facts;
using StateForge.Planning;

namespace StateForge.Modules.Host.Iptables;

/// <summary>Which rules file a task keeps: persist_file, else the OS family's default.</summary>
internal static class IptablesPersistFile
{
    public const string RedHatFile = "/etc/sysconfig/iptables";
    public const string DebianFile = "/etc/iptables/rules.v4";

    /// <summary>The files the choice may need, fetched with the task's other facts.</summary>
    public static IEnumerable<FactProbe> Probes(IptablesParams p) =>
        p.PersistFile is { } file
            ? [new FileProbe(file, WithContent: true)]
            : [new FileProbe(RedHatFile, WithContent: true), new FileProbe(DebianFile, WithContent: true), new FileProbe("/etc/sysconfig")];

    /// <summary>persist_file, else by os_family, else by which default file (or /etc/sysconfig) exists.</summary>
    public static async ValueTask<string> ResolveAsync(IptablesParams p, PlanContext context, CancellationToken cancellationToken)
    {
        if (p.PersistFile is { } file)
        {
            return file;
        }

        var family = OsFamily(context.Variables);
        if (family is "RedHat")
        {
            return RedHatFile;
        }

        if (family is "Debian")
        {
            return DebianFile;
        }

        async ValueTask<bool> Exists(string path) =>
            (await context.Facts.GetAsync<FileState>(new FileProbe(path, path != "/etc/sysconfig"), cancellationToken).ConfigureAwait(false)).Exists;

        if (await Exists(RedHatFile).ConfigureAwait(false))
        {
            return RedHatFile;
        }

        if (await Exists(DebianFile).ConfigureAwait(false))
        {
            return DebianFile;
        }

        return await Exists("/etc/sysconfig").ConfigureAwait(false) ? RedHatFile : DebianFile;
    }

    private static string? OsFamily(IReadOnlyDictionary<string, object?> variables)
    {
        if (variables.TryGetValue("ansible_facts", out var facts) && facts is IReadOnlyDictionary<string, object?> f &&
            f.TryGetValue("os_family", out var family) && family is string s1)
        {
            return s1;
        }

        if (facts is IDictionary<string, object?> d && d.TryGetValue("os_family", out var family2) && family2 is string s2)
        {
            return s2;
        }

        return variables.TryGetValue("ansible_os_family", out var top) && top is string s3 ? s3 : null;
    }
}
