using StateForge.Cluster.Tests.Support;
using StateForge.KubeApiServer.Hosting;
using StateForge.Modules.Cluster;
using StateForge.Planning;

namespace StateForge.Cluster.Tests.Modules;

public sealed class K8sModuleTests
{
    private static readonly K8sModule Module = new();

    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          labels:
            app: web
        spec:
          selector:
            app: web
          ports:
          - name: http
            port: 80
            targetPort: 8080
        """;

    [Fact]
    public async Task Create_ThenRerun_ReportsChangedThenOk()
    {
        await using var lab = await ClusterLab.StartAsync();
        var parameters = new K8sParams { Definition = Service, Namespace = "default" };

        var first = await lab.RunAsync(Module, parameters);
        await lab.NewRunAsync();
        var second = await lab.RunAsync(Module, parameters);

        first.Failed.Should().BeFalse(first.Message);
        first.Changes.Should().ContainSingle().Which.Should().Match<ResourceChange>(c => c.Resource == "Service default/web" && c.Action == ChangeAction.Create);
        first.Result["method"].Should().Be("create");
        lab.Find("v1", "Service", "default", "web").Should().NotBeNull();
        second.Failed.Should().BeFalse(second.Message);
        second.Changed.Should().BeFalse("the server's defaults (clusterIP, sessionAffinity, protocol) are not drift");
    }

    [Fact]
    public async Task Change_ShowsOnlyDeclaredFields_InTheDiff()
    {
        await using var lab = await ClusterLab.StartAsync();
        await lab.RunAsync(Module, new K8sParams { Definition = Service });

        var plan = await lab.RunAsync(Module, new K8sParams { Definition = Service.Replace("targetPort: 8080", "targetPort: 9090") }, checkMode: true);

        plan.Changed.Should().BeTrue();
        var diff = plan.Changes.Single().Diff!;
        diff.Should().Contain("-    targetPort: 8080").And.Contain("+    targetPort: 9090");
        diff.Should().NotContain("resourceVersion").And.NotContain("uid").And.NotContain("clusterIP").And.NotContain("managedFields");
        lab.Find("v1", "Service", "default", "web")!["spec"]!["ports"]![0]!["targetPort"]!.GetValue<long>().Should().Be(8080, "check mode changes nothing");
    }

    [Fact]
    public async Task MultiDocumentSrc_CreatesEveryObject_AndAbsentDeletesThem()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.WriteFile("files/objects.yml", Service + "\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: registry\n");

        var created = await lab.RunAsync(Module, new K8sParams { Src = "objects.yml" });
        var deleted = await lab.RunAsync(Module, new K8sParams { Src = "objects.yml", State = K8sState.Absent, Wait = false });
        var again = await lab.RunAsync(Module, new K8sParams { Src = "objects.yml", State = K8sState.Absent });

        created.Changes.Select(c => c.Resource).Should().Equal("Service default/web", "Namespace registry");
        deleted.Changes.Should().OnlyContain(c => c.Action == ChangeAction.Delete);
        lab.Find("v1", "Service", "default", "web").Should().BeNull();
        again.Changes.Where(c => c.Resource.StartsWith("Service", StringComparison.Ordinal)).Should().OnlyContain(c => c.Action == ChangeAction.None);
    }

    [Fact]
    public async Task Template_IsRenderedWithThePlayVariables()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.WriteFile("templates/svc.yml.j2", Service.Replace("name: web", "name: \"{{ svc_name | lower }}\""));
        lab.Variables = new Dictionary<string, object?> { ["kubeconfig"] = lab.Kubeconfig, ["svc_name"] = "Registry-Web" };

        var plan = await lab.RunAsync(Module, new K8sParams { Template = "svc.yml.j2" });

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Find("v1", "Service", "default", "registry-web").Should().NotBeNull();
    }

    [Fact]
    public async Task InvalidObject_FailsInThePlan_WithTheFieldCauses()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(Module, new K8sParams { Definition = Service.Replace("port: 80", "port: 0") }, checkMode: true);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().StartWith("Service \"default/web\": Invalid: ").And.Contain("spec.ports[0].port");
    }

    [Fact]
    public async Task UnknownKind_SaysTheServerDoesNotServeIt()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(Module, new K8sParams { Definition = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n" });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Contain("no matches for kind \"Widget\" in version \"example.com/v1\"");
    }

    [Fact]
    public async Task WaitCondition_OnADeployment_WaitsUntilAvailable()
    {
        await using var lab = await ClusterLab.StartAsync();
        var deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: app
              template:
                metadata:
                  labels:
                    app: app
                spec:
                  containers:
                  - name: app
                    image: nginx
            """;

        var plan = await lab.RunAsync(Module, new K8sParams { Definition = deployment, Wait = true, WaitTimeout = 10 });

        plan.Failed.Should().BeFalse(plan.Message);
        var result = (IReadOnlyDictionary<string, object?>)plan.Result["result"]!;
        result["kind"].Should().Be("Deployment");
    }

    [Fact]
    public async Task MergePatch_InsteadOfApply_IsIdempotentToo()
    {
        await using var lab = await ClusterLab.StartAsync();
        var parameters = new K8sParams { Definition = Service, Apply = false, MergeType = "merge" };

        var first = await lab.RunAsync(Module, parameters);
        var changed = await lab.RunAsync(Module, parameters with { Definition = Service.Replace("app: web\nspec", "app: web\n    tier: front\nspec") });
        var again = await lab.RunAsync(Module, parameters with { Definition = Service.Replace("app: web\nspec", "app: web\n    tier: front\nspec") });

        first.Changes.Single().Action.Should().Be(ChangeAction.Create);
        changed.Changes.Single().Action.Should().Be(ChangeAction.Modify);
        changed.Changes.Single().Diff.Should().Contain("+    tier: front");
        lab.Requests.Should().Contain(r => r.StartsWith("PATCH /api/v1/namespaces/default/services/web?fieldManager=stateforge", StringComparison.Ordinal));
        again.Changed.Should().BeFalse();
    }

    [Fact]
    public async Task DeclaredList_WithTheSameItems_IsNotDrift()
    {
        await using var lab = await ClusterLab.StartAsync(new KubeApiTestServerOptions { SeedRegistry = true });
        var dc = """
            apiVersion: apps.openshift.io/v1
            kind: DeploymentConfig
            metadata:
              name: docker-registry
              namespace: default
            spec:
              replicas: 1
              template:
                spec:
                  containers:
                  - name: registry
                    env:
                    - name: REGISTRY_HTTP_ADDR
                      value: ":5000"
            """;

        var plan = await lab.RunAsync(Module, new K8sParams { Definition = dc, Wait = true, WaitTimeout = 10 });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changed.Should().BeFalse("every declared value is already live");
    }

    [Fact]
    public async Task ObjectsInANamespaceCreatedBeforeThem_PlanAndApply_InOneTask()
    {
        await using var lab = await ClusterLab.StartAsync();
        var manifest = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: registry\n---\n" + Service.Replace("name: web\n", "name: web\n  namespace: registry\n");

        var check = await lab.RunAsync(Module, new K8sParams { Definition = manifest }, checkMode: true);
        await lab.NewRunAsync(); // a check's planned objects belong to its own run
        var run = await lab.RunAsync(Module, new K8sParams { Definition = manifest });

        check.Failed.Should().BeFalse(check.Message);
        check.Changes.Select(c => c.Action).Should().Equal(ChangeAction.Create, ChangeAction.Create);
        check.Changes[1].Diff.Should().Contain("namespace registry is created first");
        lab.Find("v1", "Namespace", null, "registry").Should().NotBeNull();
        run.Failed.Should().BeFalse(run.Message);
        lab.Find("v1", "Service", "registry", "web").Should().NotBeNull();
    }

    [Fact]
    public async Task CheckMode_ALaterTask_PlansAgainstWhatAnEarlierOneWouldCreate_AndNothingIsWritten()
    {
        await using var lab = await ClusterLab.StartAsync();
        const string Deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: db
              namespace: default
            spec:
              replicas: 1
              selector:
                matchLabels: {app: db}
              template:
                metadata:
                  labels: {app: db}
                spec:
                  containers:
                  - name: postgres
                    image: postgres:15
                  volumes:
                  - name: data
                    emptyDir: {}
            """;

        var create = await lab.RunAsync(Module, new K8sParams { Definition = Deployment }, checkMode: true);
        var swap = await lab.RunAsync(new VolumeModule(), new VolumeParams
        {
            Kind = WorkloadKind.Deployment,
            Name = "db",
            Namespace = "default",
            VolumeName = "data",
            PersistentVolumeClaim = new ClaimSource { ClaimName = "db-data" },
            MountPath = "/var/lib/postgresql/data",
            Overwrite = true,
        }, checkMode: true);

        create.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        swap.Failed.Should().BeFalse(swap.Message);
        swap.Changes.Should().ContainSingle().Which.Diff.Should().Contain("-  emptyDir: {}").And.Contain("claimName: db-data");
        lab.Find("apps/v1", "Deployment", "default", "db").Should().BeNull("check mode writes nothing");
    }

    [Fact]
    public async Task CheckMode_AVolumeThePvModuleWouldCreate_IsSeenByALaterK8sTask_WithoutADryRunAgainstTheServer()
    {
        await using var lab = await ClusterLab.StartAsync();
        var volume = new PvParams { Name = "data", Capacity = "1Gi", Nfs = new NfsSource { Server = "nfs.example.com", Path = "/exports/data" } };
        const string Labelled = """
            apiVersion: v1
            kind: PersistentVolume
            metadata:
              name: data
              labels:
                tier: db
            """;

        var create = await lab.RunAsync(new PvModule(), volume, checkMode: true);
        var label = await lab.RunAsync(Module, new K8sParams { Definition = Labelled }, checkMode: true);

        create.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        label.Failed.Should().BeFalse(label.Message);
        label.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Modify, "the volume is planned, so the label is a change to it, not a new object");
        label.Changes[0].Diff.Should().Contain("+    tier: db");
        lab.Find("v1", "PersistentVolume", null, "data").Should().BeNull("check mode writes nothing");
    }
}
