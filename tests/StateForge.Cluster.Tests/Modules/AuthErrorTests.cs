using StateForge.Cluster.Tests.Support;
using StateForge.KubeApiServer.Faults;
using StateForge.Modules.Cluster;

namespace StateForge.Cluster.Tests.Modules;

/// <summary>401 and 403: not retried; the error names the context, its user, and what was asked.</summary>
public sealed class AuthErrorTests
{
    private const string ClaimPath = "/api/v1/namespaces/default/persistentvolumeclaims/db";

    private const string Denied =
        "persistentvolumeclaims \"db\" is forbidden: User \"system:serviceaccount:ci:deployer\" cannot get resource \"persistentvolumeclaims\" in API group \"\" in the namespace \"default\"";

    private static readonly PvcParams Claim = new() { Name = "db", Namespace = "default", Request = "1Gi", Wait = false };

    [Fact]
    public async Task Forbidden_OnARead_NamesVerbResourceUserAndContext_WithTheServersMessage()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("GET", ClaimPath, 403, Count: 10) { Message = Denied });

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be(
            $"PersistentVolumeClaim \"default/db\": Forbidden: {Denied} (get persistentvolumeclaims in namespace \"default\" as user \"lab-admin\" of context \"lab\")");
        lab.Answers("GET", ClaimPath).Should().Equal(["403"], "a refusal is not retried");
    }

    [Fact]
    public async Task Forbidden_OnTheWrite_NamesThePatchVerb()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("PATCH", ClaimPath, 403, Count: 10) { DryRun = false, Message = Denied.Replace("cannot get", "cannot patch", StringComparison.Ordinal) });

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().EndWith("cannot patch resource \"persistentvolumeclaims\" in API group \"\" in the namespace \"default\" (patch persistentvolumeclaims in namespace \"default\" as user \"lab-admin\" of context \"lab\")");
        lab.Answers("PATCH", ClaimPath, dryRun: false).Should().Equal("403");
        lab.Find("v1", "PersistentVolumeClaim", "default", "db").Should().BeNull();
    }

    [Fact]
    public async Task Unauthorized_MidRun_IsAnAuthenticationError_NamingContextUserAndRequest()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("GET", ClaimPath, 401, Count: 10) { Message = "Unauthorized" });

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be(
            "authentication failed for context \"lab\" (user \"lab-admin\"): the API server rejected the credentials (Unauthorized: Unauthorized) " +
            "to get persistentvolumeclaims in namespace \"default\"; check the token or client certificate of that context in the kubeconfig");
        lab.Answers("GET", ClaimPath).Should().Equal("401");
    }

    [Fact]
    public async Task Forbidden_OnAClusterScopedObject_NamesNoNamespace()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("GET", "/api/v1/persistentvolumes/registry-volume", 403) { Message = "persistentvolumes \"registry-volume\" is forbidden" });

        var plan = await lab.RunAsync(new PvModule(), new PvParams
        {
            Name = "registry-volume",
            Capacity = "5Gi",
            AccessModes = ["ReadWriteMany"],
            Nfs = new NfsSource { Server = "nfs.example.com", Path = "/exports/registry" },
        });

        plan.Message.Should().Be(
            "PersistentVolume \"registry-volume\": Forbidden: persistentvolumes \"registry-volume\" is forbidden (get persistentvolumes as user \"lab-admin\" of context \"lab\")");
    }
}
