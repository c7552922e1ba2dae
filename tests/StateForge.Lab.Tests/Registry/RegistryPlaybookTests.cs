using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using StateForge.Lab.Faults;

namespace StateForge.Lab.Registry;

/// <summary>
/// playbooks/registry.yml end to end (issue 6): the whole chapter against a systemd master, two
/// nodes and the Kubernetes API test server. First apply changes every step; the export is then
/// really served through the master's firewall; a second apply and a check change nothing; four
/// drifts made by hand are found by check (exit 2, with diffs) and repaired by apply, exactly.
/// </summary>
public sealed class RegistryPlaybookTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(4);
    private RegistryLab lab = null!;

    public async Task InitializeAsync() => lab = await RegistryLab.StartAsync(new RegistryLabOptions { MasterAllowChainTcpPorts = [8443] });

    public Task DisposeAsync() => lab.DisposeAsync().AsTask();

    [Fact]
    public async Task Apply_Check_Drift_Repair()
    {
        var clock = Stopwatch.StartNew();
        var standIn = await RunAsync("apply", RegistryLabAssets.RegistryStandInPlaybook);
        standIn.ExitCode.Should().Be(0, standIn.ToString());
        var health = await lab.RegistryHealthAsync(TimeSpan.FromSeconds(5));
        health.Healthy.Should().BeTrue($"the stand-in for the registry pod answers ({health})");
        var nfsBefore = await lab.NfsListAsync(lab.Nodes[0], timeout: TimeSpan.FromSeconds(3));
        nfsBefore.Succeeded.Should().BeFalse("nothing serves the export yet, and the master's firewall drops NFS");

        // First apply: every step of the chapter changes.
        var first = await RunAsync("apply", RegistryLabAssets.RegistryPlaybook);
        output.WriteLine($"first apply: {first.Elapsed.TotalSeconds:0.0} s");
        first.ExitCode.Should().Be(0, first.ToString());
        var report = first.RequireReport();
        Outline(report, "master").Should().Equal(FirstApplyOnMaster, first.Out);
        foreach (var node in lab.Nodes)
        {
            Outline(report, node.Name).Should().Equal(FirstApplyOnANode, first.Out);
        }

        Outline(report, "localhost").Should().Equal(FirstApplyOnTheCluster, first.Out);
        report.Hosts["master"].Changed.Should().Be(FirstApplyOnMaster.Count(t => t.EndsWith("=changed", StringComparison.Ordinal)));
        report.Hosts.Values.Sum(h => h.Changed).Should().Be(ChangedSteps, "every step of the chapter changed, and nothing else");

        // The export is really served, through the firewall the playbook opened.
        (await lab.NfsListAsync(lab.Nodes[0], timeout: TimeSpan.FromSeconds(10))).Succeeded.Should().BeTrue("node1 lists the export through the master's firewall");
        (await lab.ShellAsync(lab.Master, "rpcinfo -p | awk '$5==\"status\" && $3==\"tcp\" {print $4}'")).StdOut.Trim().Should().Be("50825", "statd is pinned");
        (await lab.ShellAsync(lab.Master, "stat -c '%U:%G %a' /var/export/regvol")).StdOut.Should().Be("nobody:nogroup 777\n");
        await AssertNfsRulesAtTheTopOfTheAllowChainAsync();
        var pv = lab.Server.Find("v1", "PersistentVolume", null, "registry-volume")!;
        pv["spec"]!["claimRef"]!["name"]!.GetValue<string>().Should().Be("registry-claim");
        pv["spec"]!["nfs"]!["server"]!.GetValue<string>().Should().Be(lab.Master.Address);
        lab.Server.Find("v1", "PersistentVolumeClaim", "default", "registry-claim")!["status"]!["phase"]!.GetValue<string>().Should().Be("Bound");
        var dc = Registry();
        dc["spec"]!["template"]!["spec"]!["volumes"]![0]!["persistentVolumeClaim"]!["claimName"]!.GetValue<string>().Should().Be("registry-claim");
        dc["status"]!["latestVersion"]!.GetValue<long>().Should().Be(2);

        // Converged: nothing changes, nothing drifts.
        var second = await RunAsync("apply", RegistryLabAssets.RegistryPlaybook);
        second.ExitCode.Should().Be(0, second.ToString());
        second.RequireReport().Hosts.Values.Sum(h => h.Changed).Should().Be(0, second.Out);
        var clean = await RunAsync("check", RegistryLabAssets.RegistryPlaybook);
        clean.ExitCode.Should().Be(0, clean.ToString());

        // Four drifts by hand.
        var rule = (await lab.ShellAsync(lab.Master, "iptables -S OS_FIREWALL_ALLOW | grep -- '--dport 2049'")).StdOut.Trim();
        (await lab.ShellAsync(lab.Master, "iptables " + rule.Replace("-A ", "-D ", StringComparison.Ordinal))).EnsureSuccess("delete the 2049 rule");
        (await lab.ShellAsync(lab.Master, "sed -i 's/^RPCMOUNTDOPTS=.*/RPCMOUNTDOPTS=\"-p 20049\"/' /etc/sysconfig/nfs")).EnsureSuccess("edit /etc/sysconfig/nfs");
        (await lab.ShellAsync(lab.Master, "sed -i 's/all_squash/no_root_squash/' /etc/exports")).EnsureSuccess("edit /etc/exports");
        await SetRegistryVolumeToEmptyDirAsync();

        var drift = await RunAsync("check", RegistryLabAssets.RegistryPlaybook, "--diff");
        drift.ExitCode.Should().Be(2, drift.ToString());
        var drifted = drift.RequireReport().Tasks.Where(t => t.Status == "would_change").ToList();
        drifted.Select(t => $"{t.Host}: {t.Task}").Should().BeEquivalentTo(
            [
                "master: Export them",
                "master: Pin the mountd port",
                "master: Accept new connections to the ports",
                "master: restart nfs", // the handler the changed port would notify
                "localhost: The workload keeps its data on the claim",
            ],
            drift.Out);
        Diff(drifted, "Export them").Should().Contain("-/var/export/regvol *(rw,sync,no_root_squash)").And.Contain("+/var/export/regvol *(rw,sync,all_squash)");
        Diff(drifted, "Pin the mountd port").Should().Contain("-RPCMOUNTDOPTS=\"-p 20049\"").And.Contain("+RPCMOUNTDOPTS=\"-p 20048\"");
        Diff(drifted, "Accept new connections to the ports").Should().Contain("+-A OS_FIREWALL_ALLOW -p tcp -m state --state NEW -m tcp --dport 2049 -j ACCEPT");
        Diff(drifted, "The workload keeps its data on the claim").Should().Contain("-  emptyDir: {}").And.Contain("claimName: registry-claim");

        var repair = await RunAsync("apply", RegistryLabAssets.RegistryPlaybook);
        repair.ExitCode.Should().Be(0, repair.ToString());
        var repaired = repair.RequireReport().Tasks.Where(t => t.Status == "changed").Select(t => $"{t.Host}: {t.Task}").ToList();
        repaired.Should().BeEquivalentTo(
            [
                "master: Export them",
                "master: Pin the mountd port",
                "master: Accept new connections to the ports",
                "master: restart nfs",
                "localhost: The workload keeps its data on the claim",
            ],
            "exactly the drifts, and the restart the changed port asks for: " + repair.Out);
        var after = await RunAsync("check", RegistryLabAssets.RegistryPlaybook);
        after.ExitCode.Should().Be(0, after.ToString());
        (await lab.NfsListAsync(lab.Nodes[1], timeout: TimeSpan.FromSeconds(10))).Succeeded.Should().BeTrue("node2 lists the export after the repair");
        output.WriteLine($"whole e2e: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// The master is an OpenShift 3 master: OS_FIREWALL_ALLOW exists (8443) and INPUT jumps to it
    /// before a final REJECT. Each NFS rule was inserted at the top of the chain, before 8443, at
    /// runtime and in the saved file alike; INPUT still jumps once, before the REJECT.
    /// </summary>
    private async Task AssertNfsRulesAtTheTopOfTheAllowChainAsync()
    {
        var expected = new[] { 53248, 50825, 20048, 2049, 111, 8443 }
            .Select(port => $"-A {MasterFirewall.AllowChain} -p tcp -m state --state NEW -m tcp --dport {port} -j ACCEPT")
            .ToList();
        var runtime = (await lab.ShellAsync(lab.Master, $"iptables -S {MasterFirewall.AllowChain}")).EnsureSuccess("list the chain").StdOut;
        runtime.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Should().Equal(expected, runtime);
        var saved = (await lab.ShellAsync(lab.Master, $"cat {MasterFirewall.SavedRulesPath}")).EnsureSuccess("read the saved rules").StdOut;
        saved.Split('\n').Where(l => l.StartsWith($"-A {MasterFirewall.AllowChain} ", StringComparison.Ordinal)).Should().Equal(expected, saved);
        saved.Split('\n').Where(l => l.StartsWith("-A INPUT -j ", StringComparison.Ordinal)).Should()
            .Equal([$"-A INPUT -j {MasterFirewall.AllowChain}", "-A INPUT -j REJECT --reject-with icmp-host-prohibited"], saved);
    }

    /// <summary>Changed results of the first apply, on all hosts: 13 on the master, 2 per node, 3 on the cluster.</summary>
    private const int ChangedSteps = 20;

    private static readonly string[] FirstApplyOnMaster =
    [
        "Gathering Facts=ok",
        "Install the NFS client tools=changed",
        "Gathering Facts=ok",
        "Install the NFS server=changed",
        "Create the exported directories=changed",
        "Export them=changed",
        "Serve them with nfs-ganesha=changed",
        "Pin the mountd port=changed",
        "Pin the statd port=changed",
        "The nfs.conf drop-in directory=ok", // Debian 12 ships /etc/nfs.conf.d
        "Pin the ports for nfs-utils 2 (nfs.conf)=changed",
        "Pin the lock manager ports=changed",
        "Enable and start the NFS services=changed",
        "Start the NFS helper services=changed",
        "Accept new connections to the ports=changed",
        "restart nfs=changed",
    ];

    private static readonly string[] FirstApplyOnANode =
    [
        "Gathering Facts=ok",
        "Install the NFS client tools=changed",
        "Gathering Facts=ok",
        "Set the SELinux booleans=changed",
    ];

    // The lab's cluster has the registry as `oadm registry` left it: it is not created again.
    private static readonly string[] FirstApplyOnTheCluster =
    [
        "Look for the registry=ok",
        "Create the registry (oadm registry)=skipped",
        "The registry answers its health check=ok",
        "The NFS export as a persistent volume=changed",
        "A claim on it, bound=changed",
        "The workload keeps its data on the claim=changed",
    ];

    private Task<StateForgeRun> RunAsync(string command, string playbook, params string[] options) =>
        StateForgeRunner.RunAsync(lab.InventoryPath, lab.Lab.KnownHostsPath, command, playbook, options).Within(Bound, $"stateforge {command} {Path.GetFileName(playbook)}");

    private static IReadOnlyList<string> Outline(StateForgeReport report, string host) => report.Outline(host);

    private static string Diff(IEnumerable<ReportTask> tasks, string name) =>
        string.Join("\n", tasks.Single(t => t.Task == name).ChangeList.Select(c => $"{c.Resource} {c.Action}\n{c.Diff}"));

    private JsonObject Registry() => lab.Server.Find("apps.openshift.io/v1", "DeploymentConfig", "default", "docker-registry")!;

    /// <summary>Someone puts the registry back on an emptyDir, through the API as `oc set volume` would.</summary>
    private async Task SetRegistryVolumeToEmptyDirAsync()
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(lab.KubeconfigPath));
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["volumes"] = new JsonArray(new JsonObject { ["name"] = "registry-storage", ["emptyDir"] = new JsonObject() }),
                    },
                },
            },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), "apps.openshift.io", "v1", "default", "deploymentconfigs", "docker-registry");
        Registry()["spec"]!["template"]!["spec"]!["volumes"]![0]!["emptyDir"].Should().NotBeNull();
    }
}
