using StateForge.Cluster.Tests.Support;
using StateForge.Modules.Cluster;
using StateForge.Transport.Kubernetes;

namespace StateForge.Cluster.Tests.Modules;

public sealed class ConnectionAndErrorTests
{
    private static readonly PvcParams Claim = new() { Name = "db", Namespace = "default", Request = "1Gi", Wait = false };

    [Fact]
    public async Task BadToken_IsAnAuthenticationError_NamingTheContext()
    {
        await using var lab = await ClusterLab.StartAsync();
        var kubeconfig = File.ReadAllText(lab.Kubeconfig).Replace(lab.Server.Token, "not-the-token", StringComparison.Ordinal);
        lab.Variables = new Dictionary<string, object?> { ["kubeconfig"] = lab.WriteFile("bad-kubeconfig", kubeconfig) };

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be(
            "authentication failed for context \"lab\" (user \"lab-admin\"): the API server rejected the credentials (Unauthorized: Unauthorized) " +
            "to get the resource list of v1; check the token or client certificate of that context in the kubeconfig");
        lab.Answers("GET", "/api/v1").Should().Equal(["401"], "a rejected credential is not retried");
    }

    [Fact]
    public async Task MissingNamespace_IsNotFound_InTheServersWords()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(new PvcModule(), Claim with { Namespace = "nowhere" }, checkMode: true);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("PersistentVolumeClaim \"nowhere/db\": NotFound: namespaces \"nowhere\" not found");
    }

    [Fact]
    public async Task ContextParameter_MustNameAContextOfTheKubeconfig()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(new PvcModule(), Claim with { Context = "prod" });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Contain("context \"prod\" is not in").And.Contain("(it has: lab)");
    }

    [Fact]
    public async Task MissingKubeconfig_SaysWhereItLooked()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(new PvcModule(), Claim with { Kubeconfig = Path.Combine(lab.Folder, "nope") });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Contain("nope does not exist");
    }

    [Fact]
    public async Task OneRun_SharesOneClient_AndReadsEachObjectOnce()
    {
        await using var lab = await ClusterLab.StartAsync(new() { SeedRegistry = true });
        var swap = new VolumeParams
        {
            Kind = WorkloadKind.DeploymentConfig,
            Name = "docker-registry",
            VolumeName = "registry-storage",
            MountPath = "/registry",
            EmptyDir = new EmptyDirSource(),
        };

        for (var i = 0; i < 3; i++)
        {
            (await lab.RunAsync(new VolumeModule(), swap)).Changed.Should().BeFalse();
        }

        var clients = lab.Services.Get<KubernetesClients>();
        var settings = KubeConnectionSettings.Resolve(null, null, null, null, null, null, lab.Variables);
        clients.Get(settings).Should().BeSameAs(clients.Get(settings));
        lab.Requests.Count(r => r.StartsWith("GET /apis/apps.openshift.io/v1/namespaces/default/deploymentconfigs/docker-registry ", StringComparison.Ordinal))
            .Should().Be(1, "three tasks naming the same object read it once");
    }

    [Fact]
    public async Task HostAndApiKey_WithTheCaFile_ConnectWithoutAKubeconfig()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Variables = new Dictionary<string, object?>();
        var ca = lab.WriteFile("ca.pem", lab.Server.CaCertificatePem);

        var plan = await lab.RunAsync(new PvcModule(), Claim with { Host = lab.Server.BaseUri.ToString().TrimEnd('/'), ApiKey = lab.Server.Token, CaCert = ca });

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Find("v1", "PersistentVolumeClaim", "default", "db").Should().NotBeNull();
    }
}
