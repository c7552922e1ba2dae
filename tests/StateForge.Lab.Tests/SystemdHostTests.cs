namespace StateForge.Lab;

/// <summary>A host that boots systemd for real (systemd-nspawn), for the service module.</summary>
public sealed class SystemdHostTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private LabHosts _lab = null!;

    public SystemdHostTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        _lab = await LabHosts.StartAsync(1, new LabOptions(Prefix: "sd", Systemd: true));
        _output.WriteLine($"1 systemd host up in {_lab.StartupTime.TotalMilliseconds:F0} ms");
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

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
}
