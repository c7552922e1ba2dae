using System.Diagnostics;

namespace StateForge.Lab.Registry;

/// <summary>
/// What the playbook will do, done by hand on a fresh registry lab each: proof that the real
/// packages install offline, that nfs-ganesha serves the export through the master's firewall
/// exactly when the chapter's ports are open, and that docker-registry answers the health URL.
/// </summary>
public sealed class RegistryLabByHandTests(ITestOutputHelper output)
{
    private const string Install = "env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=120 ";

    [Fact]
    public async Task OfflineRepository_InstallsTheRealPackages_OnTheMasterAndANode()
    {
        await using var lab = await RegistryLab.StartAsync();
        output.WriteLine(lab.Timings.ToString());
        var clock = Stopwatch.StartNew();

        var results = await Task.WhenAll(
            lab.ShellAsync(lab.Master, Install + "nfs-ganesha nfs-ganesha-vfs rpcbind nfs-common nfs-kernel-server docker-registry iptables sudo"),
            lab.ShellAsync(lab.Nodes[0], Install + "nfs-common"));
        output.WriteLine($"installed in {clock.Elapsed.TotalSeconds:F1} s (master {results[0].Elapsed.TotalSeconds:F1} s, node {results[1].Elapsed.TotalSeconds:F1} s)");

        results[0].EnsureSuccess("apt-get install on the master");
        results[1].EnsureSuccess("apt-get install on node1");
        var installed = await lab.ShellAsync(lab.Master,
            "dpkg-query -W -f '${Package} ${db:Status-Abbrev}\\n' nfs-ganesha nfs-ganesha-vfs rpcbind nfs-common nfs-kernel-server docker-registry | grep -c ' ii'; " +
            "systemctl is-enabled rpcbind nfs-ganesha docker-registry; systemctl is-active rpcbind nfs-ganesha docker-registry || true; " +
            "echo '/var/export/regvol *(rw,sync,all_squash)' >> /etc/exports && exportfs -ra && exportfs");

        // Enabled by the packages, but not started: the lab's policy-rc.d leaves that to the playbook.
        installed.StdOut.Should().Be(
            "6\nenabled\nenabled\nenabled\ninactive\ninactive\ninactive\n/var/export/regvol\n\t\t<world>\n", installed.StdErr);
        (await lab.ShellAsync(lab.Nodes[0], "dpkg-query -W -f '${db:Status-Abbrev}' nfs-common")).StdOut.Should().StartWith("ii");
    }

    [Fact]
    public async Task SelinuxStore_OnANode_TakesAPersistentBoolean()
    {
        await using var lab = await RegistryLab.StartAsync();

        var result = await lab.ShellAsync(lab.Nodes[1],
            "getsebool virt_use_nfs 2>&1; setsebool -P virt_use_nfs on && semanage boolean -l -n -C | tr -s ' '");

        result.StdOut.Should().Be("getsebool:  SELinux is disabled\nvirt_use_nfs (on , on) Allow virt to use nfs\n", result.StdErr);
    }

    [Fact]
    public async Task NfsPath_ByHand_IsServedThroughTheFirewall_OnlyWhileTheChaptersPortsAreOpen()
    {
        await using var lab = await RegistryLab.StartAsync();
        output.WriteLine(lab.Timings.ToString());
        var clock = Stopwatch.StartNew();

        // What the nfs_server role does on Debian with nfs-ganesha (tests/lab/registry/README.md).
        (await lab.ShellAsync(lab.Master, Install + "nfs-ganesha nfs-ganesha-vfs rpcbind nfs-common")).EnsureSuccess("install");
        var installed = clock.Elapsed;
        await lab.WriteFileAsync(lab.Master, "/etc/ganesha/ganesha.conf", RegistryLabConfigs.Ganesha(lab.ExportPath));
        (await lab.ShellAsync(lab.Master, $$"""
            set -e
            chown nobody:nogroup {{lab.ExportPath}} && chmod 0777 {{lab.ExportPath}}
            echo hello > {{lab.ExportPath}}/hello.txt
            sed -i 's/^\[statd\]$/[statd]\nport={{RegistryLabConfigs.StatdPort}}/' /etc/nfs.conf
            systemctl restart nfs-ganesha-lock nfs-ganesha
            """)).EnsureSuccess("configure and start nfs-ganesha");
        (await lab.WaitForNfsServerAsync()).Should().BeTrue();
        (await lab.ShellAsync(lab.Master, "rpcinfo -p | awk 'NR > 1 {print $5, $4}' | sort -u | tr '\\n' ' '")).StdOut.Should()
            .Be("mountd 20048 nfs 2049 nlockmgr 53248 portmapper 111 status 50825 ");
        var served = clock.Elapsed;

        var closed = await lab.NfsListAsync(lab.Nodes[0], timeout: TimeSpan.FromSeconds(3));
        (await lab.ShellAsync(lab.Master, OpenPorts)).EnsureSuccess("open the chapter's ports");
        var open = await Task.WhenAll(lab.Nodes.Select(n => lab.NfsListAsync(n)));
        (await lab.ShellAsync(lab.Master, "iptables -F OS_FIREWALL_ALLOW")).EnsureSuccess("close them");
        var closedAgain = await lab.NfsListAsync(lab.Nodes[1], timeout: TimeSpan.FromSeconds(3));

        output.WriteLine($"installed in {installed.TotalSeconds:F1} s, serving after {served.TotalSeconds:F1} s");
        output.WriteLine($"before the rules: {closed}\nwith the rules: {open[0]}\nafter removing them: {closedAgain}");
        closed.TimedOut.Should().BeTrue(closed.ToString());
        open.Should().AllSatisfy(listing =>
        {
            listing.Succeeded.Should().BeTrue(listing.ToString());
            listing.Names.Should().Equal("hello.txt");
        });
        closedAgain.Succeeded.Should().BeFalse(closedAgain.ToString());
    }

    [Fact]
    public async Task Registry_ByHand_AnswersTheHealthUrl_WithTheConfigTemplate()
    {
        await using var lab = await RegistryLab.StartAsync();

        (await lab.ShellAsync(lab.Master, Install + "docker-registry && systemctl start docker-registry")).EnsureSuccess("install and start");
        var packaged = await Retry(() => lab.RegistryHealthAsync(), until: h => h.StatusCode is not null);
        await lab.WriteFileAsync(lab.Master, "/etc/docker/registry/config.yml", RegistryLabConfigs.DockerRegistry(lab.Master.Address));
        (await lab.ShellAsync(lab.Master, "systemctl restart docker-registry")).EnsureSuccess("restart docker-registry");
        var health = await Retry(() => lab.RegistryHealthAsync(), until: h => h.Healthy);
        var debug = await RegistryLab.GetHealthAsync(lab.RegistryDebugHealthUrl);

        output.WriteLine($"packaged config: {packaged}\nours: {health}\n{debug}");
        packaged.StatusCode.Should().Be(401, "Debian's default config demands htpasswd auth");
        health.StatusCode.Should().Be(200, health.ToString());
        health.ApiVersion.Should().Be("registry/2.0");
        debug.StatusCode.Should().Be(200);
        debug.Body.Should().Be("{}");
    }

    // The chapter's firewall step, as the playbook's firewall_ports role is to do it at runtime.
    private static string OpenPorts =>
        "iptables -N OS_FIREWALL_ALLOW && iptables -A INPUT -j OS_FIREWALL_ALLOW\n" +
        string.Concat(RegistryLabConfigs.NfsFirewallPorts.Select(port =>
            $"iptables -A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport {port} -j ACCEPT\n"));

    private static async Task<RegistryHealth> Retry(Func<Task<RegistryHealth>> get, Func<RegistryHealth, bool> until)
    {
        var health = await get();
        for (var i = 0; i < 50 && !until(health); i++)
        {
            await Task.Delay(100);
            health = await get();
        }

        return health;
    }
}
