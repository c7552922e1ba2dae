using k8s;
using k8s.Models;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Client;

public sealed class WatchTests
{
    [Fact]
    public async Task Watch_DeliversAddedModifiedAndDeleted_AsTheyHappen()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(WatchEventType Type, string Phase)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, claim) in lab.Client.CoreV1.WatchListNamespacedPersistentVolumeClaimAsync(
                "default", cancellationToken: cancel.Token))
            {
                seen.Add((type, claim.Status?.Phase ?? ""));
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        }, cancel.Token);
        await Task.Delay(200);

        await lab.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Manifests.Claim("db"), "default");
        await Eventually.WaitAsync(() => lab.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("db", "default"), c => c.Status.Phase == "Bound");
        await lab.Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("db", "default");
        await watching;

        seen[0].Should().Be((WatchEventType.Added, "Pending"));
        seen.Should().Contain((WatchEventType.Modified, "Bound"));
        seen[^1].Type.Should().Be(WatchEventType.Deleted);
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithTheExistingObjects()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await foreach (var (type, service) in lab.Client.CoreV1.WatchListNamespacedServiceAsync("default", cancellationToken: cancel.Token))
        {
            type.Should().Be(WatchEventType.Added);
            service.Metadata.Name.Should().Be("a");
            break;
        }
    }

    [Fact]
    public async Task DropWatchFault_EndsTheStreamAfterKEvents_AndWatchRequestsAreRecordedWithTheirResourceVersion()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default");
        await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("b"), "default");
        await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("c"), "default");
        lab.Server.Faults.Enqueue(Fault.DropWatch("/api/v1/namespaces/default/services", events: 2));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var names = new List<string>();
        await foreach (var (_, service) in lab.Client.CoreV1.WatchListNamespacedServiceAsync("default", resourceVersion: "0", cancellationToken: cancel.Token))
        {
            names.Add(service.Metadata.Name);
        }

        names.Should().Equal("a", "b");
        lab.Server.Faults.WatchRequests.Should().Equal(new WatchRequest("/api/v1/namespaces/default/services", "0"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WatchGoneFault_AnswersWith410_AsAnErrorEventOrAsTheStatus(bool asEvent)
    {
        await using var lab = await Lab.StartAsync();
        var version = (await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default")).Metadata.ResourceVersion;
        lab.Server.Faults.Enqueue(Fault.WatchGone("/api/v1/namespaces/default/services", asEvent));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var errors = new List<Exception>();

        var watching = async () =>
        {
            await foreach (var _ in lab.Client.CoreV1.WatchListNamespacedServiceAsync("default", resourceVersion: version, onError: errors.Add, cancellationToken: cancel.Token))
            {
                throw new InvalidOperationException("no event was expected");
            }
        };

        if (asEvent)
        {
            await watching();
            errors.Should().ContainSingle().Which.Should().BeOfType<KubernetesException>().Which.Status.Code.Should().Be(410);
        }
        else
        {
            (await watching.Should().ThrowAsync<k8s.Autorest.HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.Gone);
        }

        lab.Server.Faults.WatchRequests.Should().ContainSingle().Which.ResourceVersion.Should().Be(version, "a resourceVersion the server still keeps: only the fault answers 410");
    }
}
