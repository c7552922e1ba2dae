using StateForge.Cluster.Tests.Support;
using StateForge.Modules.Cluster;

namespace StateForge.Cluster.Tests.Modules;

public sealed class UriModuleTests
{
    private static readonly UriModule Module = new();

    [Fact]
    public async Task Get_RegistersStatusJsonAndContent_AndChangesNothing()
    {
        await using var lab = await ClusterLab.StartAsync();
        using var http = new LocalHttp((_, _) => (200, "application/json", """{"healthy":true,"checks":[1,2]}"""));

        var plan = await lab.RunAsync(Module, new UriParams { Url = http.Url + "healthz", ReturnContent = true });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changed.Should().BeFalse();
        plan.Result["status"].Should().Be(200L);
        plan.Result["msg"].Should().Be("OK (31 bytes)");
        plan.Result["url"].Should().Be(http.Url + "healthz");
        plan.Result["content_type"].Should().Be("application/json");
        plan.Result["content"].Should().Be("""{"healthy":true,"checks":[1,2]}""");
        ((IReadOnlyDictionary<string, object?>)plan.Result["json"]!)["healthy"].Should().Be(true);
    }

    [Fact]
    public async Task UnexpectedStatus_Fails_LikeAnsible()
    {
        await using var lab = await ClusterLab.StartAsync();
        using var http = new LocalHttp((_, _) => (503, "text/plain", "starting"));

        var plan = await lab.RunAsync(Module, new UriParams { Url = http.Url + "healthz" });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("Status code was 503 and not [200]: HTTP Error 503: Service Unavailable");
        plan.Result["status"].Should().Be(503L);
    }

    [Fact]
    public async Task Retries_UntilTheStatusMatches()
    {
        await using var lab = await ClusterLab.StartAsync();
        var calls = 0;
        using var http = new LocalHttp((_, _) => Interlocked.Increment(ref calls) < 3 ? (503, "text/plain", "starting") : (200, "text/plain", "ok"));

        var plan = await lab.RunAsync(Module, new UriParams { Url = http.Url + "healthz", Retries = 5, Delay = 0.05 });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["attempts"].Should().Be(3L);
        http.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task Post_InCheckMode_IsNotSent()
    {
        await using var lab = await ClusterLab.StartAsync();
        using var http = new LocalHttp((_, _) => (201, "text/plain", "created"));
        var parameters = new UriParams { Url = http.Url + "hooks", Method = "POST", Body = new Dictionary<string, object?> { ["app"] = "registry" }, BodyFormat = "json", StatusCode = [201] };

        var check = await lab.RunAsync(Module, parameters, checkMode: true);
        var run = await lab.RunAsync(Module, parameters);

        check.NeedsExecution.Should().BeTrue();
        check.Message.Should().Be($"would send POST {http.Url}hooks");
        run.Failed.Should().BeFalse(run.Message);
        run.Changed.Should().BeFalse();
        http.Requests.Should().ContainSingle().Which.Should().Be(("POST", "/hooks", """{"app":"registry"}""", "application/json"));
    }

    [Fact]
    public async Task Https_IsVerified_AgainstTheGivenCa()
    {
        await using var lab = await ClusterLab.StartAsync();
        var ca = lab.WriteFile("ca.pem", lab.Server.CaCertificatePem);
        var url = lab.Server.BaseUri + "api";

        var unknownCa = await lab.RunAsync(Module, new UriParams { Url = url, StatusCode = [401] });
        var givenCa = await lab.RunAsync(Module, new UriParams { Url = url, StatusCode = [401], CaPath = ca });
        var unchecked_ = await lab.RunAsync(Module, new UriParams { Url = url, StatusCode = [401], ValidateCerts = false });

        unknownCa.Failed.Should().BeTrue();
        unknownCa.Message.Should().StartWith("Status code was -1 and not [401]: Request failed:").And.Contain("SSL");
        givenCa.Failed.Should().BeFalse(givenCa.Message);
        unchecked_.Failed.Should().BeFalse(unchecked_.Message);
    }

    [Fact]
    public async Task ConnectionRefused_IsStatusMinusOne()
    {
        await using var lab = await ClusterLab.StartAsync();
        string url;
        using (var http = new LocalHttp((_, _) => (200, "text/plain", "")))
        {
            url = http.Url;
        }

        var plan = await lab.RunAsync(Module, new UriParams { Url = url, Timeout = 5 });

        plan.Failed.Should().BeTrue();
        plan.Result["status"].Should().Be(-1L);
        plan.Message.Should().Contain("Request failed:").And.Contain("refused");
    }
}
