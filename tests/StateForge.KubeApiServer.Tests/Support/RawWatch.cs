using System.Globalization;
using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Hosting;

namespace StateForge.KubeApiServer.Tests.Support;

/// <summary>A watch read line by line over plain HTTP, so that tests see each event exactly as the server wrote it.</summary>
public sealed class RawWatch : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _limit;
    private readonly Task<HttpResponseMessage> _answer;
    private StreamReader? _lines;

    private RawWatch(HttpClient http, CancellationTokenSource limit, Task<HttpResponseMessage> answer)
    {
        _http = http;
        _limit = limit;
        _answer = answer;
    }

    /// <summary>
    /// Sends the watch request <paramref name="pathAndQuery"/> (without the leading slash). The server answers it with its
    /// first event, so this does not wait for the answer: <see cref="NextAsync"/> does.
    /// </summary>
    public static RawWatch Open(KubeApiTestServer server, string pathAndQuery)
    {
        var http = RawHttp.Create(server, server.Token);
        var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var answer = http.GetAsync(new Uri(pathAndQuery, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, limit.Token);
        return new RawWatch(http, limit, answer);
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<JsonObject?> NextAsync()
    {
        if (_lines is null)
        {
            var response = await _answer;
            response.EnsureSuccessStatusCode();
            _lines = new StreamReader(await response.Content.ReadAsStreamAsync(_limit.Token));
        }

        var line = await _lines.ReadLineAsync(_limit.Token);
        return line is null ? null : JsonNode.Parse(line)!.AsObject();
    }

    /// <summary>Reads events until one satisfies <paramref name="wanted"/>; returns it and every event read before it.</summary>
    public async Task<(JsonObject Found, List<JsonObject> Before)> UntilAsync(Func<JsonObject, bool> wanted)
    {
        var before = new List<JsonObject>();
        while (await NextAsync() is { } next)
        {
            if (wanted(next))
            {
                return (next, before);
            }

            before.Add(next);
        }

        throw new InvalidOperationException($"the stream ended after {before.Count} events without the one waited for");
    }

    public static bool IsBookmark(JsonObject e) => (string?)e["type"] == "BOOKMARK";

    public static long VersionOf(JsonObject e) => long.Parse((string)e["object"]!["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _limit.CancelAsync();
        _lines?.Dispose();
        try
        {
            (await _answer).Dispose();
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // The server had not answered yet: there is no response to close.
        }

        _http.Dispose();
        _limit.Dispose();
    }
}
