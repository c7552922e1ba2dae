using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Server;

public sealed class HttpBehaviourTests
{
    [Fact]
    public async Task Request_WithoutTheToken_Is401Status()
    {
        await using var lab = await Lab.StartAsync();
        using var http = RawHttp.Create(lab.Server, token: "wrong");

        var response = await http.GetAsync(new Uri("api/v1/persistentvolumes", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        status["reason"]!.GetValue<string>().Should().Be("Unauthorized");
        status["code"]!.GetValue<int>().Should().Be(401);
    }

    [Fact]
    public async Task Server_SpeaksHttp2_OverTlsCheckedAgainstItsCa()
    {
        await using var lab = await Lab.StartAsync();
        using var http = RawHttp.Create(lab.Server, lab.Server.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces") { Version = HttpVersion.Version20 };

        var response = await http.SendAsync(request);

        response.Version.Should().Be(HttpVersion.Version20);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        list["kind"]!.GetValue<string>().Should().Be("NamespaceList");
        list["metadata"]!["resourceVersion"]!.GetValue<string>().Should().NotBeEmpty();
    }

    [Fact]
    public async Task Patch_WithUnknownContentType_Is415()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Server.CreateRegistryAsOadmLeavesItAsync();
        using var http = RawHttp.Create(lab.Server, lab.Server.Token);
        using var content = new StringContent("{}", Encoding.UTF8, "application/xml");

        var response = await http.PatchAsync(new Uri("api/v1/namespaces/default/services/docker-registry", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>().Should().Be("UnsupportedMediaType");
    }

    [Fact]
    public async Task List_FiltersByLabelSelector()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("a"));
        var other = Manifests.NfsVolume("b");
        other.Metadata.Labels["app"] = "db";
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(other);

        var selected = await lab.Client.CoreV1.ListPersistentVolumeAsync(labelSelector: "app in (db,cache)");

        selected.Items.Select(i => i.Metadata.Name).Should().Equal("b");
    }

    [Theory]
    [InlineData("api", "APIVersions")]
    [InlineData("apis", "APIGroupList")]
    [InlineData("api/v1", "APIResourceList")]
    [InlineData("apis/apps/v1", "APIResourceList")]
    [InlineData("apis/apps.openshift.io/v1", "APIResourceList")]
    public async Task Discovery_DescribesTheServedApis(string path, string kind)
    {
        await using var lab = await Lab.StartAsync();
        using var http = RawHttp.Create(lab.Server, lab.Server.Token);

        var document = JsonNode.Parse(await http.GetStringAsync(new Uri(path, UriKind.Relative)))!;

        document["kind"]!.GetValue<string>().Should().Be(kind);
    }

    [Fact]
    public async Task Version_IsServedWithoutCredentials()
    {
        await using var lab = await Lab.StartAsync();
        using var http = RawHttp.Create(lab.Server, token: null);

        var version = JsonNode.Parse(await http.GetStringAsync(new Uri("version", UriKind.Relative)))!;

        version["gitVersion"]!.GetValue<string>().Should().StartWith("v1.");
    }

    [Fact]
    public async Task InjectedFault_FailsTheNextMatchingRequestsOnly()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));
        lab.Server.Faults.Enqueue(new Fault("GET", "/api/v1/persistentvolumes", 503, Count: 2) { Message = "etcd is sulking" });

        var (first, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1"));
        var (second, _) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1"));
        var third = await lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1");

        first.Should().Be(503);
        second.Should().Be(503);
        status["reason"]!.GetValue<string>().Should().Be("ServiceUnavailable");
        status["message"]!.GetValue<string>().Should().Be("etcd is sulking");
        third.Metadata.Name.Should().Be("pv1");
        lab.Server.Faults.Pending.Should().Be(0);
    }

    [Fact]
    public async Task Kubeconfig_HasCaDataTokenAndCurrentContext()
    {
        await using var lab = await Lab.StartAsync();

        var path = lab.Server.WriteKubeconfig(Path.Combine(lab.Folder, "other", "config"), "cluster-a");

        var text = await File.ReadAllTextAsync(path);
        text.Should().Contain("certificate-authority-data: ").And.Contain($"token: {lab.Server.Token}")
            .And.Contain("current-context: cluster-a").And.Contain($"server: https://127.0.0.1:{lab.Server.BaseUri.Port}");
    }
}
