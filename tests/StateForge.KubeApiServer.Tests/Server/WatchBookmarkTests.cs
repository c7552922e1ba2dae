using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Hosting;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Server;

/// <summary>
/// Watch bookmarks as a real server sends them: only to watches with allowWatchBookmarks=true, as an object of the
/// watched kind with nothing but its resourceVersion, which is the newest the server has (changes the watch's
/// selector filters out included). The interval is the server's option; these tests ask for 100 ms.
/// </summary>
public sealed class WatchBookmarkTests
{
    private const string Services = "api/v1/namespaces/default/services";
    private static readonly KubeApiTestServerOptions Bookmarking = new() { BookmarkInterval = TimeSpan.FromMilliseconds(100) };

    [Theory]
    [InlineData(Services, "Service", "v1")]
    [InlineData("apis/apps/v1/namespaces/default/deployments", "Deployment", "apps/v1")]
    [InlineData("api/v1/persistentvolumes", "PersistentVolume", "v1")]
    public async Task Watch_AskingForBookmarks_GetsBookmarksOfTheWatchedKind_WithOnlyTheResourceVersion(string path, string kind, string apiVersion)
    {
        await using var lab = await Lab.StartAsync(Bookmarking);
        await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default");
        var current = lab.Server.ResourceVersion.ToString(CultureInfo.InvariantCulture);

        await using var watch = RawWatch.Open(lab.Server, $"{path}?watch=true&resourceVersion={current}&allowWatchBookmarks=true");
        var first = await watch.NextAsync();

        var expected = new JsonObject
        {
            ["type"] = "BOOKMARK",
            ["object"] = new JsonObject
            {
                ["kind"] = kind,
                ["apiVersion"] = apiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = current },
            },
        };
        JsonNode.DeepEquals(first, expected).Should().BeTrue($"a bookmark has only kind, apiVersion and metadata.resourceVersion, but was {first?.ToJsonString()}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("&allowWatchBookmarks=false")]
    public async Task Watch_NotAskingForBookmarks_GetsNone(string query)
    {
        await using var lab = await Lab.StartAsync(Bookmarking);
        var current = lab.Server.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        await using var plain = RawWatch.Open(lab.Server, $"{Services}?watch=true&resourceVersion={current}{query}");
        await UntilAsync(() => lab.Server.Faults.WatchRequests.Count == 1);
        await using var asking = RawWatch.Open(lab.Server, $"{Services}?watch=true&resourceVersion={current}&allowWatchBookmarks=true");

        // The plain watch started first: by the third bookmark of the other one it would have had its own.
        for (var i = 0; i < 3; i++)
        {
            RawWatch.IsBookmark((await asking.NextAsync())!).Should().BeTrue();
        }

        await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default");
        var first = await plain.NextAsync();

        first!["type"]!.GetValue<string>().Should().Be("ADDED", "a watch that did not ask for bookmarks gets none");
        first["object"]!["metadata"]!["name"]!.GetValue<string>().Should().Be("a");
        var (added, _) = await asking.UntilAsync(e => !RawWatch.IsBookmark(e));
        added["type"]!.GetValue<string>().Should().Be("ADDED");
    }

    [Fact]
    public async Task Bookmark_CarriesTheCurrentResourceVersion_WhichMovesOnWhenAnObjectTheSelectorFiltersOutChanges()
    {
        await using var lab = await Lab.StartAsync(Bookmarking);
        var start = lab.Server.ResourceVersion;
        await using var watch = RawWatch.Open(lab.Server,
            $"{Services}?watch=true&resourceVersion={start.ToString(CultureInfo.InvariantCulture)}&fieldSelector=metadata.name%3Da&allowWatchBookmarks=true");

        RawWatch.VersionOf((await watch.UntilAsync(RawWatch.IsBookmark)).Found).Should().Be(start);
        var b = await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("b"), "default");
        var bVersion = long.Parse(b.Metadata.ResourceVersion, CultureInfo.InvariantCulture);
        var (moved, before) = await watch.UntilAsync(e => RawWatch.VersionOf(e) != start);

        moved["type"]!.GetValue<string>().Should().Be("BOOKMARK", "the watch filters b out: only a bookmark tells of its change");
        RawWatch.VersionOf(moved).Should().Be(bVersion);
        before.Should().NotContain(e => !RawWatch.IsBookmark(e));

        var a = await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("a"), "default");
        var (added, _) = await watch.UntilAsync(e => !RawWatch.IsBookmark(e));
        added["type"]!.GetValue<string>().Should().Be("ADDED");
        added["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be(a.Metadata.ResourceVersion);
        var (next, _) = await watch.UntilAsync(RawWatch.IsBookmark);
        RawWatch.VersionOf(next).Should().BeGreaterThanOrEqualTo(RawWatch.VersionOf(added), "a bookmark never goes back behind an event already sent");
    }

    [Fact]
    public async Task DropWatchAfterNewBookmarkFault_EndsTheStreamRightAfterTheFirstBookmarkNewerThanItsLastEvent()
    {
        await using var lab = await Lab.StartAsync(Bookmarking);
        lab.Server.Faults.Enqueue(Fault.DropWatchAfterNewBookmark("/" + Services));
        var start = lab.Server.ResourceVersion;
        await using var watch = RawWatch.Open(lab.Server,
            $"{Services}?watch=true&resourceVersion={start.ToString(CultureInfo.InvariantCulture)}&fieldSelector=metadata.name%3Da&allowWatchBookmarks=true");

        for (var i = 0; i < 2; i++)
        {
            RawWatch.VersionOf((await watch.NextAsync())!).Should().Be(start, "bookmarks that tell nothing new leave the stream open");
        }

        var b = await lab.Client.CoreV1.CreateNamespacedServiceAsync(Manifests.Service("b"), "default");
        var (moved, _) = await watch.UntilAsync(e => RawWatch.VersionOf(e) != start);

        RawWatch.IsBookmark(moved).Should().BeTrue();
        RawWatch.VersionOf(moved).Should().Be(long.Parse(b.Metadata.ResourceVersion, CultureInfo.InvariantCulture));
        (await watch.NextAsync()).Should().BeNull("the stream ends right after that bookmark");
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, limit.Token);
        }
    }
}
