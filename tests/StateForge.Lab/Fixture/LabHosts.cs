using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;

namespace StateForge.Lab;

/// <summary>
/// A running lab: real Linux hosts on this machine (network, mount, UTS and PID namespaces, an
/// overlay root, a real OpenSSH sshd each), started by tests/lab/lab and torn down on dispose.
/// </summary>
public sealed class LabHosts : IAsyncDisposable
{
    private readonly LabScript _script;
    private int _disposed;

    private LabHosts(LabScript script, string directory, JsonElement summary, TimeSpan startupTime)
    {
        _script = script;
        Directory = directory;
        StartupTime = startupTime;
        Subnet = summary.GetProperty("subnet").GetString()!;
        Gateway = summary.GetProperty("gateway").GetString()!;
        Bridge = summary.GetProperty("bridge").GetString()!;
        PrivateKeyPath = summary.GetProperty("privateKey").GetString()!;
        KnownHostsPath = summary.GetProperty("knownHosts").GetString()!;
        SshConfigPath = summary.GetProperty("sshConfig").GetString()!;
        InventoryPath = summary.GetProperty("inventoryIni").GetString()!;
        InventoryYamlPath = summary.GetProperty("inventoryYml").GetString()!;
        Hosts = [.. summary.GetProperty("hosts").EnumerateArray().Select(h => new LabHost(
            h.GetProperty("name").GetString()!,
            h.GetProperty("ip").GetString()!,
            h.GetProperty("port").GetInt32(),
            h.GetProperty("netns").GetString()!,
            h.GetProperty("pid").GetInt32(),
            h.GetProperty("sshdLog").GetString()!))];
    }

    public string Directory { get; }

    public ImmutableArray<LabHost> Hosts { get; }

    /// <summary>The lab's ed25519 private key; root and sfuser on every host accept it.</summary>
    public string PrivateKeyPath { get; }

    /// <summary>OpenSSH known_hosts with every host's ed25519 key, by name and by address.</summary>
    public string KnownHostsPath { get; }

    /// <summary>An ssh_config with a Host entry per host (key, known_hosts, strict checking).</summary>
    public string SshConfigPath { get; }

    /// <summary>Ansible INI inventory: group "lab" with ansible_host, ansible_user=root and
    /// ansible_ssh_private_key_file.</summary>
    public string InventoryPath { get; }

    /// <summary>The same inventory in Ansible's YAML format.</summary>
    public string InventoryYamlPath { get; }

    /// <summary>The bridge's subnet, "10.X.Y.0/24".</summary>
    public string Subnet { get; }

    /// <summary>The machine's address on the bridge.</summary>
    public string Gateway { get; }

    /// <summary>The bridge's interface name on the machine.</summary>
    public string Bridge { get; }

    /// <summary>The non-root user on every host that has passwordless sudo.</summary>
    public string BecomeUser => "sfuser";

    /// <summary>How long `lab up` took, until every host's sshd accepted TCP.</summary>
    public TimeSpan StartupTime { get; }

    public LabHost this[string name] =>
        Hosts.FirstOrDefault(h => h.Name == name)
        ?? throw new ArgumentException($"no host '{name}' in the lab", nameof(name));

    /// <summary>Starts a lab of <paramref name="count"/> hosts and waits until each sshd accepts TCP.</summary>
    /// <exception cref="LabUnavailableException">The lab cannot start here; the message says
    /// what is missing and how to install it.</exception>
    public static async Task<LabHosts> StartAsync(
        int count, LabOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        options ??= new LabOptions();
        if (!Environment.IsPrivilegedProcess)
        {
            throw new LabUnavailableException(
                "the lab needs root (network namespaces, a bridge, mounts): run the lab tests as root");
        }

        var script = LabScript.Locate(options);
        var directory = options.Directory
            ?? Path.Combine(Path.GetTempPath(), "sf-lab-" + Guid.NewGuid().ToString("N")[..10]);
        var arguments = new List<string> { "up", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", directory };
        if (options.Prefix is not null)
        {
            arguments.AddRange(["--prefix", options.Prefix]);
        }

        if (options.Subnet is not null)
        {
            arguments.AddRange(["--subnet", options.Subnet]);
        }

        if (options.Systemd)
        {
            arguments.Add("--systemd");
        }

        var stopwatch = Stopwatch.StartNew();
        ProcessResult result;
        try
        {
            result = await script.RunAsync(arguments, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // `lab up` was killed half-way: remove whatever it had made.
            await script.RunAsync(["down", "--dir", directory], CancellationToken.None);
            throw;
        }

        stopwatch.Stop();
        if (!result.Succeeded)
        {
            throw new LabUnavailableException(
                $"`{script.Path} {string.Join(' ', arguments)}` failed (exit {result.ExitCode}):\n{result.StdErr.Trim()}\n" +
                $"To install what the lab needs: bash {Path.Combine(Path.GetDirectoryName(script.Path)!, "install-deps.sh")}" +
                (options.Systemd ? " --systemd" : string.Empty));
        }

        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "hosts.json"), cancellationToken));
        return new LabHosts(script, directory, summary.RootElement.Clone(), stopwatch.Elapsed);
    }

    /// <summary>Runs argv inside the host's namespaces (as root, cwd /, a clean environment),
    /// without SSH: for tests that inspect or tamper with a host by hand.</summary>
    public Task<ProcessResult> ExecAsync(LabHost host, params string[] argv) =>
        ExecAsync(host, argv, CancellationToken.None);

    public Task<ProcessResult> ExecAsync(LabHost host, IReadOnlyList<string> argv, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);
        return _script.RunAsync(["exec", host.Name, "--dir", Directory, "--", .. argv], cancellationToken);
    }

    /// <summary>Stops the host's sshd; returns once its port refuses connections.</summary>
    public Task StopSshdAsync(LabHost host, CancellationToken cancellationToken = default) =>
        RunHostCommandAsync("stop-sshd", host, [], cancellationToken);

    /// <summary>Starts the host's sshd again; returns once its port accepts connections.</summary>
    public Task StartSshdAsync(LabHost host, CancellationToken cancellationToken = default) =>
        RunHostCommandAsync("start-sshd", host, [], cancellationToken);

    /// <summary>Gives the host a new ed25519 host key (and restarts its sshd), so that
    /// <see cref="KnownHostsPath"/> no longer matches unless <paramref name="updateKnownHosts"/>.</summary>
    public Task RekeyAsync(LabHost host, bool updateKnownHosts = false, CancellationToken cancellationToken = default) =>
        RunHostCommandAsync("rekey", host, updateKnownHosts ? ["--update-known-hosts"] : [], cancellationToken);

    /// <summary>Takes the host's link to the bridge down: connections to it time out.</summary>
    public Task LinkDownAsync(LabHost host, CancellationToken cancellationToken = default) =>
        RunHostCommandAsync("link-down", host, [], cancellationToken);

    public Task LinkUpAsync(LabHost host, CancellationToken cancellationToken = default) =>
        RunHostCommandAsync("link-up", host, [], cancellationToken);

    /// <summary>The OpenSSH client's arguments to reach the host with the lab key and strict host
    /// key checking against <see cref="KnownHostsPath"/> (no user ssh config, no prompts).</summary>
    public IReadOnlyList<string> SshArguments(LabHost host, string user = "root") =>
    [
        "-F", "/dev/null",
        "-i", PrivateKeyPath,
        "-o", "IdentitiesOnly=yes",
        "-o", $"UserKnownHostsFile={KnownHostsPath}",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=5",
        "-p", host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        $"{user}@{host.Address}",
    ];

    /// <summary>Runs a command on the host with the real `ssh` client.</summary>
    public Task<ProcessResult> SshAsync(
        LabHost host, string command, string user = "root", CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync("ssh", [.. SshArguments(host, user), "--", command], cancellationToken);

    /// <summary>Tears the lab down (idempotent) and returns how long it took.</summary>
    public async Task<TimeSpan> DownAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _disposed, 1);
        var result = await _script.RunAsync(["down", "--dir", Directory], cancellationToken);
        result.EnsureSuccess($"lab down --dir {Directory}");
        return result.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _script.RunAsync(["down", "--dir", Directory], CancellationToken.None);
        }
    }

    private async Task RunHostCommandAsync(
        string command, LabHost host, string[] extra, CancellationToken cancellationToken)
    {
        var result = await _script.RunAsync([command, host.Name, "--dir", Directory, .. extra], cancellationToken);
        result.EnsureSuccess($"lab {command} {host.Name}");
    }
}
