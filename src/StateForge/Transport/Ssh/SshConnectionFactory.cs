using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;
using StateForge.Inventory;

namespace StateForge.Transport.Ssh;

/// <summary>
/// Opens SSH connections (SSH.NET) with key or password auth and strict host key checking
/// against an OpenSSH known_hosts file. Failures become <see cref="HostUnreachableException"/>
/// with the reason: refused, timeout, auth, host key.
/// </summary>
public sealed class SshConnectionFactory(SshSettings settings) : IConnectionFactory
{
    private static readonly string[] DefaultKeys = ["id_ed25519", "id_ecdsa", "id_rsa"];
    private readonly Lock knownHostsGate = new();
    private readonly Dictionary<string, KnownHosts> knownHosts = new(StringComparer.Ordinal);

    public async Task<IHostConnection> ConnectAsync(InventoryHost host, CancellationToken cancellationToken)
    {
        var user = host.User ?? host.Get("ansible_ssh_user") ?? settings.DefaultUser;
        var address = host.Address;
        var port = host.Port;
        var auth = Authentication(host, user);
        if (auth.Count == 0)
        {
            throw new HostUnreachableException(host.Name, "auth: no private key or password to log in with (set ansible_ssh_private_key_file or ansible_password)");
        }

        var info = new ConnectionInfo(address, port, user, [.. auth])
        {
            Timeout = host.Get("ansible_timeout") is { } t && int.TryParse(t, out var secs) ? TimeSpan.FromSeconds(secs) : settings.ConnectTimeout,
        };
        OrderKeyExchange(info, host);
        var client = new SshClient(info) { KeepAliveInterval = settings.KeepAlive };
        string? hostKeyProblem = null;
        var known = KnownHostsFor(host);
        var checking = host.Get("stateforge_host_key_checking") is { } hk ? ParseChecking(hk) : settings.HostKeyChecking;
        client.HostKeyReceived += (_, e) =>
        {
            if (checking == HostKeyChecking.Off)
            {
                e.CanTrust = true;
                return;
            }

            var verdict = known.Check(address, port, e.HostKeyName, e.HostKey);
            switch (verdict)
            {
                case HostKeyVerdict.Known:
                    e.CanTrust = true;
                    break;
                case HostKeyVerdict.Unknown when checking == HostKeyChecking.AcceptNew:
                    known.Add(address, port, e.HostKeyName, e.HostKey);
                    e.CanTrust = true;
                    break;
                case HostKeyVerdict.Unknown:
                    hostKeyProblem = $"host key: {e.HostKeyName} {KnownHosts.Fingerprint(e.HostKey)} for {KnownHosts.HostName(address, port)} is not in {known.Path}; " +
                        "add it (ssh-keyscan) or run with --host-key-checking accept-new";
                    e.CanTrust = false;
                    break;
                case HostKeyVerdict.Changed:
                    hostKeyProblem = $"host key: the {e.HostKeyName} key of {KnownHosts.HostName(address, port)} has CHANGED (now {KnownHosts.Fingerprint(e.HostKey)}); " +
                        $"it differs from {known.Path}. Refusing to connect: this may be an attack, or the host was rebuilt";
                    e.CanTrust = false;
                    break;
                default:
                    hostKeyProblem = $"host key: the key of {KnownHosts.HostName(address, port)} is marked @revoked in {known.Path}";
                    e.CanTrust = false;
                    break;
            }
        };

        var span = RunTrace.Begin(host.Name, "ssh connect");
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            span.End(RunTrace.Enabled ? $"kex {client.ConnectionInfo.CurrentKeyExchangeAlgorithm}, host key {client.ConnectionInfo.CurrentHostKeyAlgorithm}, cipher {client.ConnectionInfo.CurrentServerEncryption}" : null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new HostUnreachableException(host.Name, hostKeyProblem ?? Reason(e, address, port, info.Timeout), e);
        }

        return new SshConnection(host.Name, user, client, settings.CommandTimeout, settings.KeepAlive, info.Timeout);
    }

    /// <summary>
    /// The key exchange algorithms offered, most preferred first. SSH.NET puts the post-quantum
    /// hybrids first; sntrup761x25519's key generation runs in managed code (BouncyCastle) and
    /// cost ~70 ms of controller CPU per login here (20 hosts: 1.3-1.8 s of CPU, check 7.6-16 s
    /// instead of 3.7-4.2 s wall on this loaded 2-core machine), against a few ms for
    /// curve25519. So: ML-KEM hybrid first (post-quantum AND fast; OpenSSH 9.9+ offers it), then
    /// curve25519, then sntrup761 and the rest in SSH.NET's order. Inventory var
    /// `stateforge_ssh_kex_algorithms` ("a,b,c", like OpenSSH's KexAlgorithms) replaces the list,
    /// e.g. to insist on post-quantum key exchange with older servers:
    /// "mlkem768x25519-sha256,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com".
    /// </summary>
    internal static void OrderKeyExchange(ConnectionInfo info, InventoryHost host)
    {
        var kex = info.KeyExchangeAlgorithms;
        if (host.Get("stateforge_ssh_kex_algorithms") is { Length: > 0 } setting)
        {
            var wanted = setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = wanted.Where(k => !kex.ContainsKey(k)).ToList();
            if (unknown.Count > 0 || wanted.Length == 0)
            {
                throw new HostUnreachableException(host.Name,
                    $"ssh: stateforge_ssh_kex_algorithms names unknown key exchange algorithm(s) {string.Join(", ", unknown)}; known: {string.Join(", ", kex.Keys)}");
            }

            foreach (var name in kex.Keys.Except(wanted, StringComparer.Ordinal).ToList())
            {
                kex.Remove(name);
            }

            Prefer(kex, wanted);
            return;
        }

        Prefer(kex, PreferredKeyExchange);
    }

    private static readonly string[] PreferredKeyExchange =
        ["mlkem768x25519-sha256", "curve25519-sha256", "curve25519-sha256@libssh.org"];

    private static void Prefer<TValue>(IOrderedDictionary<string, TValue> kex, IReadOnlyList<string> first)
    {
        var position = 0;
        foreach (var name in first)
        {
            if (kex.ContainsKey(name))
            {
                kex.SetPosition(name, position++);
            }
        }
    }

    private static string Reason(Exception e, string address, int port, TimeSpan timeout) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"refused: connection to {address}:{port} refused",
        SocketException { SocketErrorCode: SocketError.TimedOut } or SshOperationTimeoutException or OperationCanceledException =>
            $"timeout: no answer from {address}:{port} within {timeout.TotalSeconds:0.#} s",
        SocketException { SocketErrorCode: SocketError.HostUnreachable or SocketError.NetworkUnreachable } s => $"unreachable: {address}:{port}: {s.Message}",
        SocketException s => $"network: {address}:{port}: {s.Message}",
        SshAuthenticationException a => $"auth: {a.Message}",
        SshConnectionException c => $"ssh: {c.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private static HostKeyChecking ParseChecking(string value) => value.ToLowerInvariant() switch
    {
        "off" or "no" or "false" => HostKeyChecking.Off,
        "accept-new" or "accept_new" => HostKeyChecking.AcceptNew,
        _ => HostKeyChecking.Strict,
    };

    private KnownHosts KnownHostsFor(InventoryHost host)
    {
        var path = host.Get("stateforge_known_hosts") ?? settings.KnownHostsPath;
        lock (knownHostsGate)
        {
            if (!knownHosts.TryGetValue(path, out var k))
            {
                k = KnownHosts.Load(path);
                knownHosts[path] = k;
            }

            return k;
        }
    }

    private List<AuthenticationMethod> Authentication(InventoryHost host, string user)
    {
        var methods = new List<AuthenticationMethod>();
        var keyFile = host.Get("ansible_ssh_private_key_file") ?? host.Get("ansible_private_key_file") ?? settings.DefaultPrivateKey;
        var keyFiles = keyFile is not null
            ? [ExpandHome(keyFile)]
            : DefaultKeys.Select(k => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", k)).Where(File.Exists).ToList();
        var keys = new List<IPrivateKeySource>();
        foreach (var file in keyFiles)
        {
            try
            {
                keys.Add(new PrivateKeyFile(file));
            }
            catch (SshPassPhraseNullOrEmptyException)
            {
                var passphrase = settings.PassphraseProvider(file);
                if (passphrase is null)
                {
                    throw new HostUnreachableException(host.Name, $"auth: key {file} needs a passphrase (set STATEFORGE_SSH_PASSPHRASE or run on a terminal)");
                }

                keys.Add(new PrivateKeyFile(file, passphrase));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SshException or InvalidOperationException or ArgumentException)
            {
                throw new HostUnreachableException(host.Name, $"auth: cannot read private key {file}: {e.Message}", e);
            }
        }

        if (keys.Count > 0)
        {
            methods.Add(new PrivateKeyAuthenticationMethod(user, [.. keys]));
        }

        var password = host.Get("ansible_password") ?? host.Get("ansible_ssh_pass") ?? (keys.Count == 0 ? settings.PasswordProvider(host.Name) : null);
        if (password is not null)
        {
            methods.Add(new PasswordAuthenticationMethod(user, password));
        }

        return methods;
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]) : path;
}
