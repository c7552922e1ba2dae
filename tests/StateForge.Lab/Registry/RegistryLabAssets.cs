namespace StateForge.Lab.Registry;

/// <summary>
/// What the registry lab is made of, built once into the lab cache by tests/lab/registry/
/// build-layers.sh: the offline apt repository of real bookworm packages and the two overlay
/// layers its systemd hosts boot with (the apt source over the base: python3, the SELinux
/// policy store, libnfs-utils). The first build needs the Debian mirror (~2 min); later ones
/// find everything current in ~0.2 s.
/// </summary>
public static class RegistryLabAssets
{
    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static IReadOnlyList<string>? layers;

    /// <summary>tests/lab/registry: the scripts, package lists and config templates.</summary>
    public static string Directory { get; } = Path.Combine(
        Path.GetDirectoryName(LabScript.Locate(new LabOptions()).Path)!, "registry");

    /// <summary>The repository's top directory.</summary>
    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(Directory, "..", "..", ".."));

    /// <summary>The nfs_server role's Jinja template of /etc/ganesha/ganesha.conf (<see cref="RegistryLabConfigs.Ganesha"/>).</summary>
    public static string GaneshaConfigTemplate => Path.Combine(RepositoryRoot, "playbooks", "roles", "nfs_server", "templates", "ganesha.conf.j2");

    /// <summary>playbooks/registry.yml, the playbook the lab is for.</summary>
    public static string RegistryPlaybook => Path.Combine(RepositoryRoot, "playbooks", "registry.yml");

    /// <summary>The lab's stand-in for the registry pod: docker-registry on the master.</summary>
    public static string RegistryStandInPlaybook => Path.Combine(Directory, "registry-standin.yml");

    /// <summary>Jinja template of /etc/docker/registry/config.yml (<see cref="RegistryLabConfigs.DockerRegistry"/>).</summary>
    public static string DockerRegistryConfigTemplate => Path.Combine(Directory, "docker-registry-config.yml.j2");

    /// <summary>How long the build took in this process (zero when everything was current).</summary>
    public static TimeSpan BuildTime { get; private set; }

    /// <summary>Builds the repository and the layers when missing or stale; returns the layer
    /// directories, topmost first, for `lab up --layer`.</summary>
    public static async Task<IReadOnlyList<string>> BuildAsync(CancellationToken cancellationToken = default)
    {
        await BuildGate.WaitAsync(cancellationToken);
        try
        {
            if (layers is null)
            {
                var result = await ProcessRunner.RunAsync("bash", [Path.Combine(Directory, "build-layers.sh")], cancellationToken);
                if (!result.Succeeded)
                {
                    throw new LabUnavailableException(
                        $"tests/lab/registry/build-layers.sh failed (exit {result.ExitCode}); it needs root and, the first time, " +
                        $"the Debian mirror (apt-get download):\n{result.StdErr.Trim()}");
                }

                layers = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                BuildTime = result.StdErr.Contains("built", StringComparison.Ordinal) ? result.Elapsed : TimeSpan.Zero;
            }

            return layers;
        }
        finally
        {
            BuildGate.Release();
        }
    }
}
