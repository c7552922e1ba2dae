using System.Text.Json;

namespace StateForge.Lab;

/// <summary>
/// The offline apt repository of the package and service lab tests (tests/lab/build-apt-repo.sh:
/// sf-nfs-common, sf-nfs-utils 1.0-1 and 2.0-1 with the service sf-nfsd, sf-tools), built once
/// into the lab cache and made the only apt source of a lab host.
/// </summary>
public static class AptRepository
{
    /// <summary>The packages in the repository.</summary>
    public const string Dependency = "sf-nfs-common";
    public const string ServicePackage = "sf-nfs-utils";
    public const string Service = "sf-nfsd";
    public const string Tools = "sf-tools";

    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static string? built;

    /// <summary>Where the repository is built on the machine (a light host sees it there too, through its overlay).</summary>
    public static string Directory { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("STATEFORGE_LAB_CACHE") ?? "/var/cache/stateforge-lab", "apt-repo");

    /// <summary>Builds the repository once (about 2 s; kept in the lab cache between runs).</summary>
    public static async Task<string> BuildAsync(CancellationToken cancellationToken = default)
    {
        await BuildGate.WaitAsync(cancellationToken);
        try
        {
            if (built is null)
            {
                var script = Path.Combine(Path.GetDirectoryName(LabScript.Locate(new LabOptions()).Path)!, "build-apt-repo.sh");
                (await ProcessRunner.RunAsync("bash", [script, Directory], cancellationToken)).EnsureSuccess("build-apt-repo.sh");
                built = Directory;
            }

            return built;
        }
        finally
        {
            BuildGate.Release();
        }
    }

    /// <summary>
    /// Makes the repository the host's only apt source: the host's own Debian sources are moved
    /// aside inside the host (never on the machine) and `apt-get update` reads only the local
    /// repository, offline (~0.3 s). A systemd host does not see the machine's files, so the
    /// repository is copied into its /srv first.
    /// </summary>
    public static async Task ConfigureAsync(LabHosts lab, LabHost host, CancellationToken cancellationToken = default)
    {
        var repo = await BuildAsync(cancellationToken);
        var inHost = repo;
        if (IsSystemdLab(lab))
        {
            var srv = Path.Combine(HostDirectory(lab, host), "srv", "stateforge-apt-repo");
            System.IO.Directory.CreateDirectory(srv);
            foreach (var file in System.IO.Directory.GetFiles(repo))
            {
                File.Copy(file, Path.Combine(srv, Path.GetFileName(file)), overwrite: true);
            }

            inHost = "/srv/stateforge-apt-repo";
        }

        var script =
            "set -e\n" +
            "mkdir -p /etc/apt/sources.list.d.stateforge-off\n" +
            "for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do [ -e \"$f\" ] && mv \"$f\" /etc/apt/sources.list.d.stateforge-off/; done\n" +
            $"echo 'deb [trusted=yes] file:{inHost} ./' > /etc/apt/sources.list.d/stateforge-lab.list\n" +
            "apt-get update -o DPkg::Lock::Timeout=60 >/dev/null 2>&1 || apt-get update -o DPkg::Lock::Timeout=60\n";
        (await lab.ExecAsync(host, ["sh", "-c", script], cancellationToken)).EnsureSuccess($"configure the test apt repository on {host}");
    }

    private static bool IsSystemdLab(LabHosts lab) => Summary(lab).GetProperty("kind").GetString() == "systemd";

    private static string HostDirectory(LabHosts lab, LabHost host) =>
        Summary(lab).GetProperty("hosts").EnumerateArray().First(h => h.GetProperty("name").GetString() == host.Name).GetProperty("dir").GetString()!;

    private static JsonElement Summary(LabHosts lab)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(lab.Directory, "hosts.json")));
        return doc.RootElement.Clone();
    }
}
