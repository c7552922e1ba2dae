using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using StateForge.KubeApiServer.Hosting;

namespace StateForge.Lab.Registry;

/// <summary>
/// The lab of the registry playbook's end-to-end test: three systemd hosts (systemd-nspawn) —
/// master, node1, node2 — booted over the bookworm root with the registry lab's layers (an
/// offline apt repository of real Debian packages as the only apt source; python3, the SELinux
/// policy store and nfs-ls), and the Kubernetes API test server with the registry as `oadm
/// registry` leaves it. The master's INPUT policy is DROP except ssh and the registry's ports,
/// and its export directory is a plain directory that nfs-ganesha can serve. Nothing is
/// installed or started for the playbook: that is its job.
/// </summary>
public sealed class RegistryLab : IAsyncDisposable
{
    private const string LabDirectoryName = "lab";
    private const string NfsServerSystemCalls = "open_by_handle_at";

    private const string NoServiceStartsOnInstall =
        "printf '#!/bin/sh\\n# StateForge registry lab: package installs do not start services (RegistryLabOptions.PackagesStartServices)\\nexit 101\\n' > /usr/sbin/policy-rc.d\n" +
        "chmod 755 /usr/sbin/policy-rc.d\n";

    private readonly string _directory;
    private int _disposed;

    private RegistryLab(string directory, LabHosts lab, KubeApiTestServer server, string exportPath)
    {
        _directory = directory;
        Lab = lab;
        Server = server;
        ExportPath = exportPath;
        Master = lab["master"];
        Nodes = [lab["node1"], lab["node2"]];
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        InventoryPath = Path.Combine(directory, "inventory.yml");
        RegistryHealthUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{Master.Address}:{RegistryLabConfigs.RegistryPort}/v2/"));
        RegistryDebugHealthUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{Master.Address}:{RegistryLabConfigs.RegistryDebugPort}/debug/health"));
    }

    /// <summary>The hosts (master, node1, node2), their key, known_hosts and logs.</summary>
    public LabHosts Lab { get; }

    public LabHost Master { get; }

    public ImmutableArray<LabHost> Nodes { get; }

    /// <summary>The Kubernetes API test server (127.0.0.1), seeded with dc/docker-registry and
    /// svc/docker-registry (emptyDir registry-storage at /registry).</summary>
    public KubeApiTestServer Server { get; }

    /// <summary>Ansible YAML inventory: groups masters and nodes; all's vars ansible_user,
    /// ansible_ssh_private_key_file, stateforge_known_hosts, kubeconfig, registry_health_url.</summary>
    public string InventoryPath { get; }

    /// <summary>A kubeconfig for <see cref="Server"/> (CA, bearer token, context "lab").</summary>
    public string KubeconfigPath { get; }

    /// <summary>The export directory on the master (see <see cref="RegistryLabOptions.ExportPath"/>).</summary>
    public string ExportPath { get; }

    /// <summary>The inventory's registry_health_url: the registry API on the master,
    /// http://MASTER:5000/v2/ (200 with header Docker-Distribution-Api-Version: registry/2.0).</summary>
    public Uri RegistryHealthUrl { get; }

    /// <summary>docker-registry's own health check, http://MASTER:5001/debug/health (200 "{}").</summary>
    public Uri RegistryDebugHealthUrl { get; }

    public RegistryLabTimings Timings { get; private set; } = new(default, default, default, default, default);

    /// <summary>Builds what is missing (once), starts the hosts and the API server, and configures them.</summary>
    /// <exception cref="LabUnavailableException">The lab cannot start here; the message says why.</exception>
    public static async Task<RegistryLab> StartAsync(RegistryLabOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RegistryLabOptions();
        var total = Stopwatch.StartNew();
        var layers = await RegistryLabAssets.BuildAsync(cancellationToken);
        var assets = total.Elapsed;

        var directory = options.Directory ?? Path.Combine(Path.GetTempPath(), "sf-registry-lab-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(directory);
        var labOptions = new LabOptions(
            Directory: Path.Combine(directory, LabDirectoryName),
            Systemd: true,
            Environment: new Dictionary<string, string>
            {
                ["STATEFORGE_LAB_NAMES"] = "master,node1,node2",
                ["STATEFORGE_LAB_LAYERS"] = string.Join(':', layers),
                ["STATEFORGE_LAB_SYSCALL_FILTER"] = NfsServerSystemCalls,
            });

        var hostsTask = TimedAsync(() => LabHosts.StartAsync(3, labOptions, cancellationToken));
        var serverTask = TimedAsync(() => KubeApiTestServer.StartAsync(
            new KubeApiTestServerOptions { BinderDelay = options.BinderDelay, SeedRegistry = true }, cancellationToken));
        try
        {
            await Task.WhenAll(hostsTask, serverTask);
        }
        catch
        {
            await DisposeStartedAsync(hostsTask, serverTask);
            TryDelete(directory);
            throw;
        }

        var (hosts, hostsTime) = await hostsTask;
        var (server, serverTime) = await serverTask;
        var lab = new RegistryLab(directory, hosts, server, options.ExportPath);
        try
        {
            var configure = Stopwatch.StartNew();
            await lab.ConfigureAsync(options, cancellationToken);
            lab.Timings = new RegistryLabTimings(assets, hostsTime, serverTime, configure.Elapsed, total.Elapsed);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs argv inside the host's namespaces as root (no SSH), capturing its output.</summary>
    public Task<ProcessResult> ExecAsync(LabHost host, IReadOnlyList<string> argv, CancellationToken cancellationToken = default) =>
        Lab.ExecAsync(host, argv, cancellationToken);

    public Task<ProcessResult> ExecAsync(LabHost host, params string[] argv) => Lab.ExecAsync(host, argv, CancellationToken.None);

    /// <summary>Runs a shell script inside the host as root.</summary>
    public Task<ProcessResult> ShellAsync(LabHost host, string script, CancellationToken cancellationToken = default) =>
        Lab.ExecAsync(host, ["bash", "-c", script], cancellationToken);

    /// <summary>Writes a file inside the host as root (mode 0644 unless it exists), for by-hand set-ups.</summary>
    public async Task WriteFileAsync(LabHost host, string path, string content, CancellationToken cancellationToken = default)
    {
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(content));
        var target = Transport.Shell.Quote(path);
        (await ShellAsync(host, $"mkdir -p \"$(dirname {target})\" && echo {encoded} | base64 -d > {target}", cancellationToken))
            .EnsureSuccess($"write {path} on {host}");
    }

    /// <summary>
    /// Runs `nfs-ls nfs://MASTER/PATH` on <paramref name="node"/> (NFSv3, a userspace client: the
    /// lab kernel has none), stopped after <paramref name="timeout"/> (default 5 s; a listing
    /// takes ~20 ms). Success proves the master serves the export and its firewall lets the node
    /// reach portmapper, MOUNT and NFS.
    /// </summary>
    public async Task<NfsListing> NfsListAsync(LabHost node, string? exportPath = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var seconds = (timeout ?? TimeSpan.FromSeconds(5)).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var url = $"nfs://{Master.Address}{exportPath ?? ExportPath}";
        var result = await Lab.ExecAsync(node, ["timeout", "-k", "1", seconds, "nfs-ls", url], cancellationToken);
        return new NfsListing(result.ExitCode, result.StdOut, result.StdErr, result.Elapsed);
    }

    /// <summary>
    /// Waits until the master's rpcbind lists NFS and MOUNT on the chapter's ports (asked on the
    /// master itself, so its firewall does not matter): nfs-ganesha registers ~1 s after a
    /// (re)start, and a client in that window gets "Program is not available". False on timeout.
    /// </summary>
    public async Task<bool> WaitForNfsServerAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        const string Registered = "rpcinfo -p 2>/dev/null | awk '$5 == \"nfs\" && $4 == 2049 {n=1} $5 == \"mountd\" && $4 == 20048 {m=1} END {exit !(n && m)}'";
        while (true)
        {
            if ((await ShellAsync(Master, Registered, cancellationToken)).Succeeded)
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>GET <see cref="RegistryHealthUrl"/> (or <paramref name="url"/>) from the machine,
    /// which reaches lab hosts directly on the bridge.</summary>
    public static async Task<RegistryHealth> GetHealthAsync(Uri url, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var version = response.Headers.TryGetValues("Docker-Distribution-Api-Version", out var values) ? values.FirstOrDefault() : null;
            return new RegistryHealth(url, (int)response.StatusCode, body, version);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new RegistryHealth(url, null, e.Message, null);
        }
    }

    /// <summary>The registry's health as the playbook's uri check sees it.</summary>
    public Task<RegistryHealth> RegistryHealthAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        GetHealthAsync(RegistryHealthUrl, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Server.DisposeAsync();
        await Lab.DisposeAsync();
        TryDelete(_directory);
    }

    private async Task ConfigureAsync(RegistryLabOptions options, CancellationToken cancellationToken)
    {
        var common = options.PackagesStartServices ? string.Empty : NoServiceStartsOnInstall;
        var scripts = new Dictionary<LabHost, string>
        {
            [Master] = common + MasterFirewall.Script(options.MasterOpenTcpPorts, options.MasterAllowChainTcpPorts) + ExportDirectoryScript(ExportPath),
            [Nodes[0]] = common,
            [Nodes[1]] = common,
        };
        var results = await Task.WhenAll(scripts.Where(s => s.Value.Length > 0).Select(s => ShellAsync(s.Key, "set -e\n" + s.Value, cancellationToken)));
        foreach (var result in results)
        {
            result.EnsureSuccess("configure a registry lab host");
        }

        Server.WriteKubeconfig(KubeconfigPath);
        await File.WriteAllTextAsync(InventoryPath, RegistryInventory.Render(Lab, Master, Nodes, KubeconfigPath, RegistryHealthUrl), cancellationToken);
    }

    // nfs-ganesha's VFS cannot export the overlay root: a plain directory (the host's /srv, bound
    // from the machine's disk) is bound at the export path. The bind is in the master's own mount
    // namespace, so the machine never sees it.
    private static string ExportDirectoryScript(string exportPath)
    {
        var path = Transport.Shell.Quote(exportPath);
        return exportPath.StartsWith("/srv/", StringComparison.Ordinal)
            ? $"mkdir -p {path}\n"
            : $"mkdir -p /srv/regvol {path}\nmount --bind /srv/regvol {path}\n";
    }

    private static async Task<(T Value, TimeSpan Elapsed)> TimedAsync<T>(Func<Task<T>> start)
    {
        var clock = Stopwatch.StartNew();
        var value = await start();
        return (value, clock.Elapsed);
    }

    private static async Task DisposeStartedAsync(Task<(LabHosts, TimeSpan)> hosts, Task<(KubeApiTestServer, TimeSpan)> server)
    {
        if (hosts.IsCompletedSuccessfully)
        {
            await hosts.Result.Item1.DisposeAsync();
        }

        if (server.IsCompletedSuccessfully)
        {
            await server.Result.Item1.DisposeAsync();
        }
    }

    private static void TryDelete(string directory)
    {
        foreach (var file in new[] { "inventory.yml", "kubeconfig" })
        {
            File.Delete(Path.Combine(directory, file));
        }

        try
        {
            Directory.Delete(directory);
        }
        catch (IOException)
        {
            // Not empty: `lab down` left something it could not remove; keep it for a look.
        }
    }
}
