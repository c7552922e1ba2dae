using k8s;
using k8s.Models;
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
}
