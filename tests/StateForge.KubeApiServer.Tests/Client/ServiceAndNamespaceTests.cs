using k8s;
using k8s.Models;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Client;

public sealed class ServiceAndNamespaceTests
{
    [Fact]
    public async Task Service_GetsAClusterIpAndDefaults_AndKeepsItOnReplace()
    {
        await using var lab = await Lab.StartAsync();
        var created = await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("web"), "default");
        var replacement = Manifests.Service("web");
        replacement.Spec.Ports[0].Port = 8081;

        var replaced = await lab.Client.CoreV1.ReplaceNamespacedServiceAsync(replacement, "web", "default");

        created.Spec.ClusterIP.Should().StartWith("172.30.");
        created.Spec.Type.Should().Be("ClusterIP");
        created.Spec.SessionAffinity.Should().Be("None");
        created.Spec.Ports[0].Protocol.Should().Be("TCP");
        replaced.Spec.ClusterIP.Should().Be(created.Spec.ClusterIP);
        replaced.Spec.Ports[0].Port.Should().Be(8081);
    }

    [Fact]
    public async Task Service_Delete_ReturnsTheService()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("web"), "default");

        var deleted = await lab.Client.CoreV1.DeleteNamespacedServiceAsync("web", "default");

        deleted.Metadata.Name.Should().Be("web");
        deleted.Spec.Ports.Should().ContainSingle();
    }

    [Fact]
    public async Task RegistrySeed_LooksLikeWhatOadmCreated()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Server.CreateRegistryAsOadmLeavesItAsync();

        var service = await lab.Client.CoreV1.ReadNamespacedServiceAsync("docker-registry", "default");

        service.Spec.SessionAffinity.Should().Be("ClientIP");
        service.Spec.Selector.Should().Equal(new Dictionary<string, string> { ["docker-registry"] = "default" });
        service.Spec.Ports.Should().ContainSingle().Which.Name.Should().Be("5000-tcp");
    }

    [Fact]
    public async Task Namespace_Delete_AnswersTerminating_ThenEmptiesAndRemovesIt()
    {
        await using var lab = await Lab.StartAsync();
        var ns = await lab.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("web", "team"), "team");

        // The typed DeleteNamespaceAsync expects a Status, but the API answers with the namespace itself.
        using var http = RawHttp.Create(lab.Server, lab.Server.Token);
        var answer = await http.DeleteAsync(new Uri("api/v1/namespaces/team", UriKind.Relative));
        var deleting = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        var remaining = await Eventually.WaitAsync(() => lab.Client.CoreV1.ListNamespaceAsync(), l => l.Items.All(n => n.Metadata.Name != "team"));

        ns.Status.Phase.Should().Be("Active");
        ns.Spec.Finalizers.Should().Equal("kubernetes");
        deleting["kind"]!.GetValue<string>().Should().Be("Namespace");
        deleting["status"]!["phase"]!.GetValue<string>().Should().Be("Terminating");
        remaining.Items.Select(n => n.Metadata.Name).Should().BeEquivalentTo("default", "kube-system", "kube-public");
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    public async Task Namespace_SystemOnes_CannotBeDeleted(string name)
    {
        await using var lab = await Lab.StartAsync();

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.DeleteNamespaceAsync(name));

        code.Should().Be(403);
        status["message"]!.GetValue<string>().Should().Be($"namespaces \"{name}\" is forbidden: this namespace may not be deleted");
    }
}
