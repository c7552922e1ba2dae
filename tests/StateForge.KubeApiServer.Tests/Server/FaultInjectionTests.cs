using System.Net;
using k8s;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Server;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Skip_LetsTheFirstRequestsThrough_ThenHitsTheNext()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));
        lab.Server.Faults.Enqueue(new Fault("GET", "/api/v1/persistentvolumes/pv1", 500) { Skip = 2 });

        await lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1");
        await lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1");
        var (third, _) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1"));
        await lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1");

        third.Should().Be(500);
        lab.Server.Faults.Hits.Should().Be(1);
    }

    [Fact]
    public async Task DryRunFilter_HitsOnlyTheRealWrite()
    {
        await using var lab = await Lab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("POST", "/api/v1/namespaces/default/services", 503) { DryRun = false });

        await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default", dryRun: "All");
        var (code, _) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default"));

        code.Should().Be(503);
        lab.Server.Find("v1", "Service", "default", "a").Should().BeNull();
    }

    [Fact]
    public async Task Reset_BreaksTheConnection_AndNothingIsWritten()
    {
        await using var lab = await Lab.StartAsync();
        lab.Server.Faults.Enqueue(Fault.ConnectionReset("POST", "/api/v1/namespaces/default/services"));

        var act = () => lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default");

        await act.Should().ThrowAsync<HttpRequestException>();
        lab.Server.Find("v1", "Service", "default", "a").Should().BeNull();
        (await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default")).Metadata.Name.Should().Be("a");
    }

    [Fact]
    public async Task AfterServing_TheWriteHappens_ButTheAnswerIsAFailure()
    {
        await using var lab = await Lab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("POST", "/api/v1/namespaces/default/services", 504) { AfterServing = true, Message = "the answer was lost" });

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default"));

        code.Should().Be(504);
        status["message"]!.GetValue<string>().Should().Be("the answer was lost");
        lab.Server.Find("v1", "Service", "default", "a").Should().NotBeNull("the create was served before the answer was replaced");
    }

    [Fact]
    public async Task AfterServing_WithReset_WritesThenBreaksTheConnection()
    {
        await using var lab = await Lab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("POST", "/api/v1/namespaces/default/services", 0) { AfterServing = true, Reset = true });

        var act = () => lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default");

        await act.Should().ThrowAsync<HttpRequestException>();
        lab.Server.Find("v1", "Service", "default", "a").Should().NotBeNull();
    }

    [Fact]
    public async Task RetryAfter_IsSentWithTheFailure()
    {
        await using var lab = await Lab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("GET", "/api/v1/namespaces", 429) { RetryAfter = TimeSpan.FromSeconds(3) });
        using var http = RawHttp.Create(lab.Server, lab.Server.Token);

        var response = await http.GetAsync(new Uri("api/v1/namespaces", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(3));
    }
}
