using System.Text.Json.Nodes;
using StateForge.Cluster.Tests.Support;
using StateForge.Diagnostics;
using StateForge.Execution;
using StateForge.Inventory;
using StateForge.KubeApiServer.Hosting;
using StateForge.Modules;
using StateForge.Reporting;
using StateForge.Templating;
using StateForge.Transport;

namespace StateForge.Cluster.Tests.Modules;

/// <summary>
/// The repository's own cluster roles and playbooks through the real engine: the registry role
/// creating the registry on a cluster that has none (and leaving it alone after), and
/// playbooks/app-storage.yml reusing nfs_persistent_volume for a database Deployment.
/// </summary>
public sealed class StoragePlaybooksTests
{
    private static readonly string Repository = FindRepository();

    [Fact]
    public async Task RegistryRole_OnAClusterWithoutOne_CreatesItAsOadmDoes_WaitsAndChecksHealth_ThenLeavesItAlone()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { BinderDelay = TimeSpan.FromMilliseconds(200) });
        using var health = new LocalHttp((_, _) => (200, "application/json", "{}"));
        var playbook = lab.WriteFile("registry-only.yml", $"""
            - hosts: localhost
              gather_facts: false
              vars:
                kubeconfig: "{lab.Kubeconfig}"
                registry_health_url: "{health.Url}"
                registry_health_retries: 2
                registry_health_delay: 0
                registry_wait_timeout: 30
              roles:
                - role: {Path.Combine(Repository, "playbooks", "roles", "registry")}
            """);
        var inventory = InventoryLoader.Load([lab.WriteFile("hosts.yml", "all: {}\n")], new DiagnosticBag());

        var check = await RunAsync(playbook, inventory, new RunOptions { Check = true });
        var first = await RunAsync(playbook, inventory, new RunOptions());
        var second = await RunAsync(playbook, inventory, new RunOptions());

        Outline(check).Should().Equal("Look for the registry=Ok", "Create the registry (oadm registry)=Changed", "The registry answers its health check=Skipped");
        Outline(first).Should().Equal("Look for the registry=Ok", "Create the registry (oadm registry)=Changed", "The registry answers its health check=Ok");
        Outline(second).Should().Equal("Look for the registry=Ok", "Create the registry (oadm registry)=Skipped", "The registry answers its health check=Ok");
        var dc = lab.Find("apps.openshift.io/v1", "DeploymentConfig", "default", "docker-registry")!;
        dc["status"]!["latestVersion"]!.GetValue<long>().Should().Be(1, "created and rolled out once");
        dc["spec"]!["template"]!["spec"]!["volumes"]![0]!.ToJsonString().Should().Be("""{"name":"registry-storage","emptyDir":{}}""");
        var service = lab.Find("v1", "Service", "default", "docker-registry")!;
        service["spec"]!["ports"]![0]!["port"]!.GetValue<long>().Should().Be(5000);
        health.Requests.Should().HaveCount(2, "one health check per run");
    }

    [Fact]
    public async Task AppStorage_ClusterPlay_CreatesTheDatabase_ItsVolumeAndClaim_SwapsTheVolume_ThenChangesNothing()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { BinderDelay = TimeSpan.FromMilliseconds(200) });
        var inventory = InventoryLoader.Load([lab.WriteFile("hosts.yml", $"""
            all:
              vars:
                kubeconfig: "{lab.Kubeconfig}"
              children:
                masters:
                  hosts:
                    master.example.com:
                      ansible_host: 192.0.2.10
            """)], new DiagnosticBag());
        var playbook = Path.Combine(Repository, "playbooks", "app-storage.yml");
        var options = new RunOptions { Limit = "localhost" };

        var check = await RunAsync(playbook, inventory, options with { Check = true });
        var apply = await RunAsync(playbook, inventory, options);
        var rerun = await RunAsync(playbook, inventory, options);

        check.Tasks.Where(t => t.Status == ResultStatus.Failed).Select(t => t.Message).Should().BeEmpty();
        Outline(apply).Should().Equal(
            "The project=Changed",
            "Look for the database=Ok",
            "The database=Changed",
            "The NFS export as a persistent volume=Changed",
            "A claim on it, bound=Changed",
            "The workload keeps its data on the claim=Changed");
        rerun.Tasks.Should().NotContain(t => t.Status == ResultStatus.Changed || t.Status == ResultStatus.Failed, string.Join("\n", Outline(rerun)));
        var pv = lab.Find("v1", "PersistentVolume", null, "orders-db-data")!;
        pv["spec"]!["nfs"]!.ToJsonString().Should().Be("""{"server":"192.0.2.10","path":"/var/export/pgdata"}""");
        pv["spec"]!["claimRef"]!["namespace"]!.GetValue<string>().Should().Be("shop");
        var deployment = lab.Find("apps/v1", "Deployment", "shop", "orders-db")!;
        var volume = deployment["spec"]!["template"]!["spec"]!["volumes"]![0]!;
        volume["persistentVolumeClaim"]!["claimName"]!.GetValue<string>().Should().Be("orders-db-data");
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["volumeMounts"]![0]!["mountPath"]!.GetValue<string>().Should().Be("/var/lib/postgresql/data");
    }

    private static async Task<RunReport> RunAsync(string playbookPath, IInventory inventory, RunOptions options)
    {
        var engine = new StateForgeEngine(ModuleCatalog.BuiltIn, new ScribanTemplateEngine(), new ConnectionFactory());
        var diagnostics = new DiagnosticBag();
        var playbook = engine.Load(playbookPath, inventory, diagnostics);
        diagnostics.Where(d => d.Level == DiagnosticLevel.Error).Should().BeEmpty();
        return await engine.RunAsync(playbook, inventory, options, new NullRunObserver(), CancellationToken.None);
    }

    private static List<string> Outline(RunReport report) =>
        [.. report.Tasks.Select(t => $"{t.Task}={t.Status}" + (t.Status == ResultStatus.Failed ? $" ({t.Message})" : ""))];

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StateForge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no StateForge.sln above {AppContext.BaseDirectory}");
    }
}
