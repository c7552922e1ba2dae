namespace StateForge.Lab;

/// <summary>One host that boots systemd for real (systemd-nspawn), shared by the tests below.</summary>
public sealed class SystemdLabFixture : LabFixture
{
    public SystemdLabFixture()
        : base(1, new LabOptions(Prefix: "sd", Systemd: true))
    {
    }
}

/// <summary>A systemd host, for the service module: systemctl works over SSH.</summary>
public sealed class SystemdHostTests : IClassFixture<SystemdLabFixture>
{
    private readonly LabHosts _lab;

    public SystemdHostTests(SystemdLabFixture fixture, ITestOutputHelper output)
    {
        _lab = fixture.Lab;
        output.WriteLine($"1 systemd host up in {_lab.StartupTime.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Systemctl_StartStopIsActive_WorkOverSsh()
    {
        var host = _lab.Hosts[0];
        const string Script = """
            printf '[Service]\nExecStart=/bin/sleep infinity\n' > /etc/systemd/system/sf-demo.service
            systemctl daemon-reload
            ps -p 1 -o comm=
            systemctl start sf-demo && systemctl is-active sf-demo
            systemctl stop sf-demo; systemctl is-active sf-demo
            systemctl is-active ssh
            """;

        var result = await _lab.SshAsync(host, Script);

        result.StdOut.Should().Be("systemd\nactive\ninactive\nactive\n", result.StdErr);
    }

    [Fact]
    public async Task SystemdHost_HasIsolatedIptablesSysctlsAndSudo()
    {
        var host = _lab.Hosts[0];

        var root = await _lab.SshAsync(host, "hostname; iptables -A INPUT -p tcp --dport 4713 -j DROP && iptables -S INPUT | grep -c 4713; sysctl -w net.ipv4.ip_forward=1 >/dev/null && sysctl -n net.ipv4.ip_forward");
        var sudo = await _lab.SshAsync(host, "sudo -n id -u", user: _lab.BecomeUser);

        root.StdOut.Should().Be($"{host.Name}\n1\n1\n", root.StdErr);
        sudo.StdOut.Should().Be("0\n", sudo.StdErr);
        (await ProcessRunner.RunAsync("iptables", ["-S", "INPUT"])).StdOut.Should().NotContain("4713");
    }

    [Fact]
    public async Task StopSshd_OnASystemdHost_StopsTheSshUnit()
    {
        var host = _lab.Hosts[0];

        await _lab.StopSshdAsync(host);
        var stopped = await _lab.ExecAsync(host, "systemctl", "is-active", "ssh");
        await _lab.StartSshdAsync(host);

        stopped.StdOut.Trim().Should().Be("inactive");
        (await _lab.SshAsync(host, "hostname")).StdOut.Trim().Should().Be(host.Name);
    }
}
