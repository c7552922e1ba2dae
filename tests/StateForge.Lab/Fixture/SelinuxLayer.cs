namespace StateForge.Lab;

/// <summary>
/// An SELinux policy store for light hosts (tests/lab/selinux-layer.sh): Debian's
/// selinux-policy-default and policycoreutils-python-utils, built once into the lab cache
/// (~60 s, needs the Debian mirror) as a layer of files, then laid over a host's root.
/// The kernel has no SELinux, so such a host has "SELinux is disabled" and a working store:
/// `setsebool -P` and `semanage boolean -l` work (lab.md).
/// </summary>
public static class SelinuxLayer
{
    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static string? built;

    /// <summary>How long the one-time build took in this process (zero when it was cached).</summary>
    public static TimeSpan BuildTime { get; private set; }

    /// <summary>Builds the layer once; later calls (and later runs) reuse it.</summary>
    public static async Task<string> BuildAsync(CancellationToken cancellationToken = default)
    {
        await BuildGate.WaitAsync(cancellationToken);
        try
        {
            if (built is null)
            {
                var script = Path.Combine(Path.GetDirectoryName(LabScript.Locate(new LabOptions()).Path)!, "selinux-layer.sh");
                var result = (await ProcessRunner.RunAsync("bash", [script], cancellationToken)).EnsureSuccess("selinux-layer.sh");
                built = result.StdOut.Trim().Split('\n')[^1];
                BuildTime = result.Elapsed.TotalSeconds > 5 ? result.Elapsed : TimeSpan.Zero;
            }

            return built;
        }
        finally
        {
            BuildGate.Release();
        }
    }

    /// <summary>
    /// Lays the layer over a light host's root by copying it in (~0.5 s for 60 MB into the host's
    /// tmpfs upper layer). The host sees the machine's /var/cache through its overlay, so the copy
    /// happens inside the host and the machine is untouched. With a lab option for an extra lower
    /// overlay layer this copy would go away (see the lab script change proposed with this code).
    /// </summary>
    public static async Task ApplyAsync(LabHosts lab, LabHost host, CancellationToken cancellationToken = default)
    {
        var layer = await BuildAsync(cancellationToken);
        (await lab.ExecAsync(host, ["cp", "-a", layer + "/.", "/"], cancellationToken)).EnsureSuccess($"copy the SELinux layer into {host}");
    }
}
