using System.Globalization;
using System.Net.Http;
using k8s.Autorest;

namespace StateForge.Transport.Kubernetes;

/// <summary>
/// Runs one API call under a <see cref="KubeRetryPolicy"/>: each attempt is bounded by the request
/// timeout; transient failures are retried with backoff; the last failure says how many attempts
/// were made. Every failure leaves as a <see cref="KubeApiException"/>.
/// </summary>
internal sealed class ApiRetry(string server, string? context, string? user)
{
    public KubeRetryPolicy Policy { get; set; } = KubeRetryPolicy.Default;

    /// <param name="subject">The object, for messages.</param>
    /// <param name="verb">The Kubernetes verb: get, list, create, update, patch, delete.</param>
    /// <param name="resource">The plural resource (for auth errors).</param>
    /// <param name="ns">The namespace asked for, if any.</param>
    /// <param name="retryWhenMaybeProcessed">False for writes that must not happen twice: they are retried only when the request certainly did not reach the server.</param>
    /// <param name="call">The call; it must pass on the token it gets (it carries the request timeout).</param>
    /// <param name="onRetry">Called with each failure that is retried.</param>
    /// <param name="cancellationToken">The run's token; its cancellation is never retried.</param>
    public async Task<T> RunAsync<T>(
        ApiStatus.Subject subject, string verb, string resource, string? ns, bool retryWhenMaybeProcessed,
        Func<CancellationToken, Task<T>> call, Action<KubeApiException>? onRetry, CancellationToken cancellationToken)
    {
        var policy = Policy;
        var request = new ApiStatus.Request(verb, resource, ns, user);
        for (var attempt = 1; ; attempt++)
        {
            KubeApiException error;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(policy.RequestTimeout);
                try
                {
                    return await call(timeout.Token).ConfigureAwait(false);
                }
                catch (HttpOperationException e)
                {
                    error = ApiStatus.From(e, subject, context, request);
                }
                catch (HttpRequestException e)
                {
                    error = Unreachable(subject, e);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    error = TimedOut(subject, policy.RequestTimeout);
                }
            }

            if (!error.IsTransient || (error.MaybeProcessed && !retryWhenMaybeProcessed))
            {
                throw error;
            }

            if (attempt >= policy.Attempts)
            {
                throw error.WithNote(attempt == 1 ? $"({Method(verb)}: no retries allowed, {KubeConnectionSettings.RetriesVariable} is 0)" : $"({Method(verb)}: gave up after {attempt} attempts)");
            }

            onRetry?.Invoke(error);
            await policy.Sleep(policy.Backoff(attempt, error.RetryAfter), cancellationToken).ConfigureAwait(false);
        }
    }

    public string ContextText => context is null ? "" : $" (context \"{context}\")";

    /// <summary>The HTTP method of a Kubernetes verb, as the final failure names it.</summary>
    public static string Method(string verb) => verb switch
    {
        "get" or "list" or "watch" => "GET",
        "create" => "POST",
        "update" => "PUT",
        "patch" => "PATCH",
        "delete" => "DELETE",
        _ => verb.ToUpperInvariant(),
    };

    public KubeApiException Unreachable(ApiStatus.Subject subject, HttpRequestException e) =>
        new(0, "Unreachable", $"{Prefix(subject)}cannot reach the API server at {server}{ContextText}: {Inner(e)}", [])
        {
            // Refused, unresolvable or failed TLS: nothing was sent. A reset or a cut answer may come after the server acted.
            MaybeProcessed = e.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError),
        };

    private KubeApiException TimedOut(ApiStatus.Subject subject, TimeSpan limit) =>
        new(0, "Timeout", $"{Prefix(subject)}Timeout: the API server at {server}{ContextText} did not answer within {Seconds(limit)}", []);

    private static string Prefix(ApiStatus.Subject subject) => subject.Kind.Length == 0 ? "" : $"{subject}: ";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    private static string Inner(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}
