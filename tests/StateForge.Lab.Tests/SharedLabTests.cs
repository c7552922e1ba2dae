using System.Diagnostics;

namespace StateForge.Lab;

/// <summary>Read-mostly checks on one shared lab of three hosts; each test undoes what it changes.</summary>
[Collection(LabCollection.Name)]
public sealed class SharedLabTests
{
    private readonly LabHosts _lab;
    private readonly ITestOutputHelper _output;

    public SharedLabTests(LabFixture fixture, ITestOutputHelper output)
    {
        _lab = fixture.Lab;
        _output = output;
    }

    [Fact]
    public async Task Ssh_EachHost_AnswersWithItsOwnHostnameUnderStrictHostKeyChecking()
    {
        _lab.Hosts.Should().HaveCount(3);
        _lab.Hosts.Select(h => h.Address).Should().OnlyHaveUniqueItems();
        _output.WriteLine($"3 hosts up in {_lab.StartupTime.TotalMilliseconds:F0} ms");

        foreach (var host in _lab.Hosts)
        {
            var result = await _lab.SshAsync(host, "hostname");

            result.EnsureSuccess($"ssh {host}");
            result.StdOut.Trim().Should().Be(host.Name);
            _output.WriteLine($"ssh {host} hostname: {result.Elapsed.TotalMilliseconds:F0} ms");
        }
    }

    [Fact]
    public async Task Exec_RunsInsideTheHostsOwnNamespaces()
    {
        var host = _lab.Hosts[1];

        var result = await _lab.ExecAsync(host, "sh", "-c", "hostname; cat /proc/1/comm; ip -4 -o addr show dev eth0; pwd");

        result.EnsureSuccess("lab exec");
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be(host.Name);
        lines[1].Should().Be("bash", "PID 1 of a light host is its namespace init");
        lines[2].Should().Contain($"inet {host.Address}/24");
        lines[3].Should().Be("/");
    }

    [Fact]
    public async Task Exec_ReturnsTheCommandsExitCodeAndOutput()
    {
        var result = await _lab.ExecAsync(_lab.Hosts[0], "sh", "-c", "echo out; echo err >&2; exit 7");

        result.ExitCode.Should().Be(7);
        result.StdOut.Should().Be("out\n");
        result.StdErr.Should().Be("err\n");
    }

    [Fact]
    public async Task Iptables_RuleAddedOnOneHost_IsNotSeenOnAnotherHostOrTheMachine()
    {
        var (one, other) = (_lab.Hosts[0], _lab.Hosts[1]);
        const string Rule = "INPUT -p tcp -m tcp --dport 4711 -j DROP";
        try
        {
            (await _lab.SshAsync(one, $"iptables -A {Rule}")).EnsureSuccess("iptables -A");

            (await _lab.SshAsync(one, "iptables-save")).EnsureSuccess("iptables-save").StdOut.Should().Contain($"-A {Rule}");
            (await _lab.SshAsync(other, "iptables -S INPUT")).EnsureSuccess("iptables -S").StdOut.Should().NotContain("4711");
            (await ProcessRunner.RunAsync("iptables", ["-S", "INPUT"])).EnsureSuccess("machine iptables -S").StdOut.Should().NotContain("4711");
        }
        finally
        {
            await _lab.SshAsync(one, $"iptables -D {Rule}");
        }
    }

    [Fact]
    public async Task Iptables_RestoreOnAHost_ReplacesOnlyThatHostsRules()
    {
        var host = _lab.Hosts[2];
        try
        {
            var rules = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 4712 -j ACCEPT\nCOMMIT\n";
            var restore = await ProcessRunner.RunAsync("ssh", [.. _lab.SshArguments(host), "iptables-restore"], standardInput: rules);
            restore.EnsureSuccess("iptables-restore");

            (await _lab.SshAsync(host, "iptables -S")).StdOut.Should().Contain("-P FORWARD DROP").And.Contain("4712");
            (await ProcessRunner.RunAsync("iptables", ["-S", "FORWARD"])).StdOut.Should().Contain("-P FORWARD ACCEPT");
        }
        finally
        {
            await _lab.SshAsync(host, "iptables -P FORWARD ACCEPT; iptables -F");
        }
    }

    [Fact]
    public async Task Sysctl_IpForward_IsPerHost()
    {
        var (one, other) = (_lab.Hosts[0], _lab.Hosts[1]);
        var machineBefore = await File.ReadAllTextAsync("/proc/sys/net/ipv4/ip_forward");
        try
        {
            (await _lab.SshAsync(one, "sysctl -w net.ipv4.ip_forward=1")).EnsureSuccess("sysctl -w");

            (await _lab.SshAsync(one, "sysctl -n net.ipv4.ip_forward")).StdOut.Trim().Should().Be("1");
            (await _lab.SshAsync(other, "sysctl -n net.ipv4.ip_forward")).StdOut.Trim().Should().Be("0");
            (await File.ReadAllTextAsync("/proc/sys/net/ipv4/ip_forward")).Should().Be(machineBefore);
        }
        finally
        {
            await _lab.SshAsync(one, "sysctl -w net.ipv4.ip_forward=0");
        }
    }

    [Fact]
    public async Task Sysctl_NonNetworkKey_CannotBeWrittenFromAHost()
    {
        var machineBefore = await File.ReadAllTextAsync("/proc/sys/vm/swappiness");

        var result = await _lab.SshAsync(_lab.Hosts[0], "sysctl -w vm.swappiness=17");

        result.ExitCode.Should().NotBe(0);
        result.StdErr.Should().Contain("vm.swappiness");
        (await File.ReadAllTextAsync("/proc/sys/vm/swappiness")).Should().Be(machineBefore);
    }

    [Fact]
    public async Task Files_WrittenInAHost_DoNotAppearOnTheMachineOrOtherHosts()
    {
        var (one, other) = (_lab.Hosts[0], _lab.Hosts[1]);
        var tag = Guid.NewGuid().ToString("N")[..8];
        string[] paths = [$"/root/sf-{tag}", $"/etc/sf-{tag}", $"/sf-{tag}", $"/usr/local/bin/sf-{tag}", $"/srv/sf-{tag}"];
        try
        {
            var write = await _lab.SshAsync(one, string.Join(" && ", paths.Select(p => $"echo {tag} > {p}")) + " && chmod 640 /etc/sf-" + tag);
            write.EnsureSuccess("write files");

            (await _lab.SshAsync(one, $"cat /etc/sf-{tag}; stat -c %a /etc/sf-{tag}")).StdOut.Should().Be($"{tag}\n640\n");
            foreach (var path in paths)
            {
                File.Exists(path).Should().BeFalse($"{path} was written inside {one.Name}, not on the machine");
                (await _lab.ExecAsync(other, "test", "-e", path)).ExitCode.Should().Be(1, $"{path} belongs to {one.Name}");
            }
        }
        finally
        {
            await _lab.SshAsync(one, "rm -f " + string.Join(' ', paths));
        }
    }

    [Fact]
    public async Task Sudo_AsSfuser_RunsAsRootWithoutPassword()
    {
        var result = await _lab.SshAsync(_lab.Hosts[0], "id -un; sudo -n id -u", user: _lab.BecomeUser);

        result.EnsureSuccess("ssh sfuser sudo -n");
        result.StdOut.Should().Be("sfuser\n0\n");
        result.StdErr.Should().BeEmpty("sudo must not warn (e.g. about resolving the hostname)");
    }

    [Fact]
    public async Task Host_HasTheToolsModulesRelyOn()
    {
        const string Script = """
            set -e
            for c in sh base64 sha256sum stat mktemp iptables iptables-save iptables-restore sysctl sudo; do command -v $c >/dev/null; done
            f=$(mktemp)
            printf 'hello' > "$f"
            printf '%s %s\n' "$(base64 < "$f")" "$(sha256sum < "$f" | cut -d' ' -f1)"
            rm -f "$f"
            """;

        var result = await _lab.SshAsync(_lab.Hosts[2], Script);

        result.EnsureSuccess("tools");
        result.StdOut.Should().Be("aGVsbG8= 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\n");
    }

    [Fact]
    public async Task SshdLog_CountsLoginsAndCommands()
    {
        var host = _lab.Hosts[2];
        int Count(string text) => File.ReadLines(host.SshdLogPath).Count(l => l.Contains(text, StringComparison.Ordinal));
        var (logins, commands) = (Count("Accepted publickey"), Count("Starting session: command"));

        await _lab.SshAsync(host, "true");
        await _lab.SshAsync(host, "true");

        Count("Accepted publickey").Should().Be(logins + 2);
        Count("Starting session: command").Should().Be(commands + 2);
    }

    [Fact]
    public async Task Inventory_ListsEveryHostInGroupLabWithKeyAndAddress()
    {
        var ini = await File.ReadAllTextAsync(_lab.InventoryPath);
        var yaml = await File.ReadAllTextAsync(_lab.InventoryYamlPath);
        var knownHosts = await File.ReadAllLinesAsync(_lab.KnownHostsPath);

        ini.Should().Contain("[lab]");
        yaml.Should().Contain("    lab:");
        foreach (var host in _lab.Hosts)
        {
            ini.Should().Contain($"{host.Name} ansible_host={host.Address} ansible_user=root ansible_ssh_private_key_file={_lab.PrivateKeyPath}");
            yaml.Should().Contain($"        {host.Name}:\n          ansible_host: {host.Address}\n");
            knownHosts.Should().Contain(l => l.StartsWith($"{host.Name},{host.Address} ssh-ed25519 ", StringComparison.Ordinal));
        }

        File.Exists(_lab.PrivateKeyPath).Should().BeTrue();
    }

    [Fact]
    public async Task Hosts_ReachEachOtherByName()
    {
        var (one, other) = (_lab.Hosts[0], _lab.Hosts[1]);

        var result = await _lab.ExecAsync(one, "sh", "-c", $"getent hosts {other.Name} && timeout 2 bash -c '>/dev/tcp/{other.Name}/22' && echo open");

        result.EnsureSuccess("host to host");
        result.StdOut.Should().Contain(other.Address).And.Contain("open");
    }

    [Fact]
    public async Task RepeatedSshLogins_Succeed()
    {
        var host = _lab.Hosts[0];
        await _lab.SshAsync(host, "true");
        var stopwatch = Stopwatch.StartNew();
        const int Logins = 5;
        for (var i = 0; i < Logins; i++)
        {
            (await _lab.SshAsync(host, "true")).EnsureSuccess("ssh");
        }

        var perLogin = stopwatch.Elapsed / Logins;
        _output.WriteLine($"one ssh login + command: {perLogin.TotalMilliseconds:F0} ms (mean of {Logins})");
    }
}
