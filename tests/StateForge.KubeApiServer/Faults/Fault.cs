namespace StateForge.KubeApiServer.Faults;

/// <summary>
/// A failure to inject: the next <paramref name="Count"/> requests whose method matches (or "*")
/// and whose path starts with <paramref name="PathPrefix"/> first wait <paramref name="Delay"/>, then,
/// when <paramref name="StatusCode"/> is not 0, fail with a Status body of that code instead of being served.
/// </summary>
public sealed record Fault(string Method, string PathPrefix, int StatusCode, int Count = 1)
{
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>The Status reason; derived from the code when not given.</summary>
    public string? Reason { get; init; }

    public string Message { get; init; } = "injected fault";

    /// <summary>A fault that only slows requests down.</summary>
    public static Fault Slow(string method, string pathPrefix, TimeSpan delay, int count = 1) =>
        new(method, pathPrefix, 0, count) { Delay = delay };
}
