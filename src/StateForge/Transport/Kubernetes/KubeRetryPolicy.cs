namespace StateForge.Transport.Kubernetes;

/// <summary>
/// How a cluster connection rides out API faults: transient failures (429, 500, 502, 503, 504,
/// timeouts, resets, refused connections) are retried with exponential backoff and jitter; a stale
/// resourceVersion (409 Conflict) is re-read and retried. Both are bounded.
/// </summary>
public sealed record KubeRetryPolicy
{
    /// <summary>The defaults: 4 attempts, 0.2 s doubling to at most 1.6 s, 60 s per request, 5 conflict attempts.</summary>
    public static KubeRetryPolicy Default { get; } = new();

    /// <summary>Attempts per API call for transient failures, the first included (1 = no retry).</summary>
    public int Attempts { get; init; } = 4;

    /// <summary>The wait before the second attempt; it doubles for each further one.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest backoff between two attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1.6);

    /// <summary>The longest Retry-After (sent with 429 and 503) honoured; a server asking for more gets this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request may take before it counts as timed out (and is retried).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts of an update whose resourceVersion went stale (409 Conflict), each from a fresh read.</summary>
    public int ConflictAttempts { get; init; } = 5;

    /// <summary>The wait after the first conflict; it grows linearly.</summary>
    public TimeSpan ConflictDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How often a watching wait re-evaluates its condition without an event: a condition may read other
    /// objects (a rollout reads its ReplicationController) whose changes the watch does not see.
    /// </summary>
    public TimeSpan WaitRecheck { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How backoff waits (tests record the delays instead of sleeping through them).</summary>
    public Func<TimeSpan, CancellationToken, Task> Sleep { get; init; } = Task.Delay;

    /// <summary>The backoff before attempt <paramref name="attempt"/> + 1: "equal jitter", half fixed and half random, so that clients that failed together do not retry together.</summary>
    public TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        var jittered = TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
        if (retryAfter is { } asked && asked > jittered)
        {
            return asked < MaxRetryAfter ? asked : MaxRetryAfter;
        }

        return jittered;
    }
}
