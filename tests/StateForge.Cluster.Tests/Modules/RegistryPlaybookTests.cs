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

/// <summary>The cluster half of the registry chapter through the real engine: the kubeconfig comes from a play variable.</summary>
public sealed class RegistryPlaybookTests
{
    private const string Playbook = """
        - hosts: localhost
          gather_facts: false
          vars:
            kubeconfig: "{{ lab_kubeconfig }}"
          tasks:
          - name: The registry's volume
            pv:
              name: registry-volume
              capacity: 5Gi
              access_modes: [ReadWriteMany]
              nfs:
                server: nfs.example.com
                path: /exports/registry
              labels:
                storage: registry
          - name: Its claim
            pvc:
              name: registry-claim
              namespace: default
              access_modes: [ReadWriteMany]
              request: 5Gi
              storage_class: ""
              selector:
                storage: registry
              wait_timeout: 20
            register: claim
          - name: The registry stores images on it
            volume:
              kind: DeploymentConfig
              name: docker-registry
              namespace: default
              volume_name: registry-storage
              persistent_volume_claim:
                claim_name: registry-claim
              mount_path: /registry
              overwrite: true
              wait: true
              wait_timeout: 20
            register: swap
          - name: Bound to the volume we made, rolled out once more
            when: not ansible_check_mode
            assert:
              that:
                - claim.volume_name == 'registry-volume'
                - swap.latest_version == 2
        """;

    [Fact]
    public async Task CheckThenApplyThenRerun_ReportsDriftThenChangesThenNothing()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true, BinderDelay = TimeSpan.FromMilliseconds(300) });
        var path = lab.WriteFile("registry.yml", Playbook);
        var engine = new StateForgeEngine(ModuleCatalog.BuiltIn, new ScribanTemplateEngine(), new ConnectionFactory());
        var inventory = new LocalInventory(new InventoryHost("localhost", new Dictionary<string, object?> { ["lab_kubeconfig"] = lab.Kubeconfig }));
        var diagnostics = new DiagnosticBag();
        var playbook = engine.Load(path, inventory, diagnostics);
        diagnostics.Where(d => d.Level == DiagnosticLevel.Error).Should().BeEmpty();

        var check = await engine.RunAsync(playbook, inventory, new RunOptions { Check = true, Diff = true }, new NullRunObserver(), CancellationToken.None);
        var apply = await engine.RunAsync(playbook, inventory, new RunOptions(), new NullRunObserver(), CancellationToken.None);
        var rerun = await engine.RunAsync(playbook, inventory, new RunOptions(), new NullRunObserver(), CancellationToken.None);

        check.Tasks.Where(t => t.Status == ResultStatus.Failed).Select(t => t.Message).Should().BeEmpty();
        Statuses(check).Should().Equal(ResultStatus.Changed, ResultStatus.Changed, ResultStatus.Changed, ResultStatus.Skipped);
        apply.Tasks.Where(t => t.Status == ResultStatus.Failed).Select(t => t.Message).Should().BeEmpty();
        Statuses(apply).Should().Equal(ResultStatus.Changed, ResultStatus.Changed, ResultStatus.Changed, ResultStatus.Ok);
        Statuses(rerun).Should().Equal(ResultStatus.Ok, ResultStatus.Ok, ResultStatus.Ok, ResultStatus.Ok);
        lab.Find("v1", "ReplicationController", "default", "docker-registry-2").Should().NotBeNull();
    }

    private static List<ResultStatus> Statuses(RunReport report) => [.. report.Tasks.Select(t => t.Status)];

    private sealed class LocalInventory(InventoryHost host) : IInventory
    {
        public IReadOnlyList<InventoryHost> Hosts => [host];

        public InventoryHost? FindHost(string name) => name == host.Name ? host : null;

        public IReadOnlyList<string> GroupNamesOf(string name) => [];

        public IReadOnlyDictionary<string, IReadOnlyList<string>> GroupsToHosts() =>
            new Dictionary<string, IReadOnlyList<string>> { ["all"] = [host.Name], ["ungrouped"] = [host.Name] };

        public IReadOnlyList<InventoryHost> Match(string pattern, SourceSpan at, DiagnosticBag diagnostics) =>
            pattern is "all" or "*" || pattern == host.Name ? [host] : [];
    }
}
