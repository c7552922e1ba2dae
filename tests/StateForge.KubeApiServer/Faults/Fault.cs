namespace StateForge.KubeApiServer.Faults;

/// <summary>
/// A failure to inject: the next <paramref name="Count"/> requests whose method matches (or "*")
/// and whose path starts with <paramref name="PathPrefix"/> first wait <see cref="Delay"/>, then,
/// when <paramref name="StatusCode"/> is not 0, fail with a Status body of that code instead of being served
/// (or, with <see cref="Reset"/>, lose the connection).
/// </summary>
public sealed record Fault(string Method, string PathPrefix, int StatusCode, int Count = 1)
{
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>The Status reason; derived from the code when not given.</summary>
    public string? Reason { get; init; }

    public string Message { get; init; } = "injected fault";

    /// <summary>Let this many matching requests through before the fault hits (the fault hits the Skip+1-th).</summary>
    public int Skip { get; init; }

    /// <summary>Only requests with (true) or without (false) `dryRun=All`; null: both.</summary>
    public bool? DryRun { get; init; }

    /// <summary>Reset the stream instead of answering: the client sees a broken connection.</summary>
    public bool Reset { get; init; }

    /// <summary>
    /// Serve the request first (the write happens) and then throw the answer away and fail: an answer lost
    /// on the way back. <see cref="Delay"/> then comes after serving.
    /// </summary>
    public bool AfterServing { get; init; }

    /// <summary>Sent as the Retry-After header (whole seconds) with the failure.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Only watch requests (`watch=true`, true) or only other requests (false); null: both.</summary>
    public bool? Watch { get; init; }

    /// <summary>Serve the watch, but end its stream after this many events (0: before the first); bookmarks do not count.</summary>
    public int? CloseWatchAfterEvents { get; init; }

    /// <summary>
    /// Serve the watch, but end its stream right after the first bookmark newer than everything the stream told the
    /// client before (the resourceVersion it asked for, or its last event's): the client can resume only from that bookmark.
    /// Bookmarks come only to watches that ask for them, every <see cref="Hosting.KubeApiTestServerOptions.BookmarkInterval"/>.
    /// </summary>
    public bool CloseWatchAfterNewBookmark { get; init; }

    /// <summary>Serve the watch, but end its stream after this long.</summary>
    public TimeSpan? CloseWatchAfter { get; init; }

    /// <summary>Answer the watch with 200 and one ERROR event holding a 410 Gone Status (resourceVersion too old), then end it.</summary>
    public bool GoneEvent { get; init; }

    /// <summary>A fault that only slows requests down.</summary>
    public static Fault Slow(string method, string pathPrefix, TimeSpan delay, int count = 1) =>
        new(method, pathPrefix, 0, count) { Delay = delay };

    /// <summary>A fault that breaks the connection under matching requests.</summary>
    public static Fault ConnectionReset(string method, string pathPrefix, int count = 1) =>
        new(method, pathPrefix, 0, count) { Reset = true };

    /// <summary>Watches on <paramref name="pathPrefix"/> whose streams the server ends after <paramref name="events"/> events.</summary>
    public static Fault DropWatch(string pathPrefix, int events, int count = 1) =>
        new("GET", pathPrefix, 0, count) { Watch = true, CloseWatchAfterEvents = events };

    /// <summary>Watches on <paramref name="pathPrefix"/> whose streams the server ends right after a bookmark that moved the client's resourceVersion on.</summary>
    public static Fault DropWatchAfterNewBookmark(string pathPrefix, int count = 1) =>
        new("GET", pathPrefix, 0, count) { Watch = true, CloseWatchAfterNewBookmark = true };

    /// <summary>Watches on <paramref name="pathPrefix"/> answered with 410 Gone: as the HTTP status, or as an ERROR event in the stream.</summary>
    public static Fault WatchGone(string pathPrefix, bool asEvent, int count = 1) =>
        asEvent
            ? new("GET", pathPrefix, 0, count) { Watch = true, GoneEvent = true }
            : new("GET", pathPrefix, 410, count) { Watch = true, Reason = "Expired", Message = "too old resource version" };
}
