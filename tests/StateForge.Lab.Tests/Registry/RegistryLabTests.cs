using StateForge.Diagnostics;
using StateForge.Inventory;

namespace StateForge.Lab.Registry;

/// <summary>The registry lab as the e2e test gets it, before any playbook: read-only checks on one shared lab.</summary>
public sealed class RegistryLabTests : IClassFixture<RegistryLabFixture>
{
    private readonly RegistryLab lab;

    public RegistryLabTests(RegistryLabFixture fixture, ITestOutputHelper output)
    {
        lab = fixture.Lab;
        output.WriteLine(lab.Timings.ToString());
        if (RegistryLabAssets.BuildTime > TimeSpan.Zero)
        {
            output.WriteLine($"one-time build of the repository and layers: {RegistryLabAssets.BuildTime.TotalSeconds:F0} s");
        }
    }

    [Fact]
    public async Task Start_BootsMasterAndTwoNodes_WithSystemdAndTheirOwnNames()
    {
        var answers = await Task.WhenAll(lab.Lab.Hosts.Select(h => lab.Lab.SshAsync(h, "hostname; ps -p 1 -o comm=; systemctl is-system-running --wait")));

        lab.Lab.Hosts.Select(h => h.Name).Should().Equal("master", "node1", "node2");
        lab.Master.Name.Should().Be("master");
        lab.Nodes.Select(n => n.Name).Should().Equal("node1", "node2");
        answers.Select(a => a.StdOut).Should().Equal(
            "master\nsystemd\nrunning\n", "node1\nsystemd\nrunning\n", "node2\nsystemd\nrunning\n");
        lab.Timings.Total.Should().BeLessThan(TimeSpan.FromSeconds(60) + RegistryLabAssets.BuildTime);
    }

    [Fact]
    public async Task Master_InputPolicy_IsDropExceptRepliesLoopbackSshAndTheRegistry()
    {
        var rules = await lab.ExecAsync(lab.Master, "iptables", "-S", "INPUT");
        var saved = await lab.ExecAsync(lab.Master, "cat", MasterFirewall.SavedRulesPath);

        rules.StdOut.Should().Be(MasterFirewall.ExpectedInputRules([22, 5000, 5001]), rules.StdErr);
        saved.StdOut.Should().Contain(":INPUT DROP").And.Contain("--dport 22 -j ACCEPT").And.NotContain("2049");
        (await lab.ExecAsync(lab.Nodes[0], "iptables", "-S", "INPUT")).StdOut.Should().Be("-P INPUT ACCEPT\n");
    }

    [Fact]
    public async Task Hosts_UseOnlyTheOfflineRepository_AndHaveNoNfsPackagesYet()
    {
        const string Script = """
            apt-get update 2>&1 | grep -c '^Err' || true
            cat /etc/apt/sources.list.d/*.list
            apt-cache policy nfs-ganesha docker-registry | grep -c 'file:/opt/stateforge-registry-repo'
            dpkg-query -W -f '${db:Status-Abbrev}' nfs-common nfs-ganesha docker-registry 2>/dev/null | grep -c ii || true
            command -v nfs-ls python3 setsebool semanage | wc -l
            """;

        var answers = await Task.WhenAll(lab.Lab.Hosts.Select(h => lab.ShellAsync(h, Script)));

        answers.Should().AllSatisfy(a => a.StdOut.Should().Be(
            "0\ndeb [trusted=yes] file:/opt/stateforge-registry-repo ./\n2\n0\n4\n", a.StdErr));
    }

    [Fact]
    public void Inventory_HasMastersNodesAndTheLabVars_AsStateForgeReadsIt()
    {
        var diagnostics = new DiagnosticBag();

        var inventory = InventoryLoader.Load([lab.InventoryPath], diagnostics);

        diagnostics.Should().BeEmpty();
        inventory.Groups["masters"].Hosts.Should().Equal("master");
        inventory.Groups["nodes"].Hosts.Should().Equal("node1", "node2");
        var master = inventory.FindHost("master")!;
        master.Get("ansible_host").Should().Be(lab.Master.Address);
        master.Get("ansible_user").Should().Be("root");
        master.Get("ansible_ssh_private_key_file").Should().Be(lab.Lab.PrivateKeyPath);
        master.Get("stateforge_known_hosts").Should().Be(lab.Lab.KnownHostsPath);
        master.Get("kubeconfig").Should().Be(lab.KubeconfigPath);
        master.Get("registry_health_url").Should().Be($"http://{lab.Master.Address}:5000/v2/");
        inventory.FindHost("node2")!.Get("ansible_host").Should().Be(lab.Nodes[1].Address);
    }

    [Fact]
    public async Task Inventory_ConnectsOverSsh_WithStrictHostKeyChecking()
    {
        var diagnostics = new DiagnosticBag();
        var inventory = InventoryLoader.Load([lab.InventoryPath], diagnostics);

        foreach (var host in inventory.Hosts)
        {
            await using var connection = await new Transport.Ssh.SshConnectionFactory(new Transport.Ssh.SshSettings()).ConnectAsync(host, CancellationToken.None);
            var result = await connection.RunAsync("hostname", null, CancellationToken.None);
            result.Stdout.Should().Be(host.Name + "\n");
        }
    }

    [Fact]
    public void Cluster_HasTheRegistryAsOadmLeavesIt_AndAKubeconfig()
    {
        var dc = lab.Server.Find("apps.openshift.io/v1", "DeploymentConfig", "default", "docker-registry");
        var service = lab.Server.Find("v1", "Service", "default", "docker-registry");

        dc.Should().NotBeNull();
        service.Should().NotBeNull();
        var volume = dc!["spec"]!["template"]!["spec"]!["volumes"]![0]!;
        volume["name"]!.GetValue<string>().Should().Be("registry-storage");
        volume["emptyDir"].Should().NotBeNull();
        File.ReadAllText(lab.KubeconfigPath).Should().Contain(lab.Server.BaseUri.ToString().TrimEnd('/'));
    }

    [Fact]
    public async Task RegistryHealth_BeforeThePlaybook_HasNoAnswer()
    {
        var health = await lab.RegistryHealthAsync(TimeSpan.FromSeconds(2));

        health.Healthy.Should().BeFalse();
        health.StatusCode.Should().BeNull(health.ToString());
    }

    [Fact]
    public async Task Export_IsAPlainDirectoryAtTheChaptersPath_OwnedByRoot()
    {
        var result = await lab.ShellAsync(lab.Master, $"stat -c '%U %a' {lab.ExportPath}; findmnt -no FSTYPE {lab.ExportPath}; findmnt -no FSTYPE /");

        var lines = result.StdOut.Split('\n');
        lab.ExportPath.Should().Be("/var/export/regvol");
        lines[0].Should().Be("root 755", result.StdErr);
        lines[1].Should().NotBe("overlay").And.NotBeEmpty();
        lines[2].Should().Be("overlay");
    }
}
