using System.Net;

namespace StateForge.Transport.Kubernetes;

/// <summary>
/// A Kubernetes API call failed; <see cref="Exception.Message"/> is ready for users:
/// `Kind "name": Reason: message`, then the field causes, one per line.
/// </summary>
public sealed class KubeApiException(int statusCode, string reason, string message, IReadOnlyList<StatusCause> causes, string? detailsKind = null, string? detailsName = null) : Exception(message)
{
    /// <summary>The Status body's `details.kind` (a plural resource for NotFound, e.g. "namespaces").</summary>
    public string? DetailsKind { get; } = detailsKind;

    /// <summary>The Status body's `details.name`.</summary>
    public string? DetailsName { get; } = detailsName;

    public int StatusCode { get; } = statusCode;

    /// <summary>The Status reason (NotFound, AlreadyExists, Conflict, Invalid, Forbidden, Unauthorized, …).</summary>
    public string Reason { get; } = reason;

    public IReadOnlyList<StatusCause> Causes { get; } = causes;

    public bool IsNotFound => StatusCode == (int)HttpStatusCode.NotFound;

    /// <summary>The namespace named in a NotFound about the namespace itself (create in a namespace that does not exist).</summary>
    public string? MissingNamespace => IsNotFound && DetailsKind == "namespaces" ? DetailsName : null;

    /// <summary>A create that found the name taken.</summary>
    public bool IsAlreadyExists => StatusCode == (int)HttpStatusCode.Conflict && Reason == "AlreadyExists";

    /// <summary>
    /// Worth another attempt: the server was overloaded or failing (429, 500, 502, 503, 504), or no answer
    /// came (status 0: refused, reset or timed out).
    /// </summary>
    public bool IsTransient => StatusCode is 0 or 429 or 500 or 502 or 503 or 504;

    /// <summary>The same error with <paramref name="note"/> added to the message (e.g. how many attempts were made).</summary>
    public KubeApiException WithNote(string note) =>
        new(StatusCode, Reason, $"{Message} {note}", Causes, DetailsKind, DetailsName) { RetryAfter = RetryAfter, MaybeProcessed = MaybeProcessed };

    /// <summary>How long the server asked the client to wait (Retry-After on 429 and 503).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// False when the request certainly did not reach the server (refused connection, name or TLS failure,
    /// 429): a create may be sent again as is. True when it may have been processed and only the answer was lost.
    /// </summary>
    public bool MaybeProcessed { get; init; } = true;

    /// <summary>A stale resourceVersion (not AlreadyExists, not a server-side apply ownership conflict).</summary>
    public bool IsUpdateConflict => StatusCode == (int)HttpStatusCode.Conflict && Reason == "Conflict" &&
        !Causes.Any(c => c.Reason == "FieldManagerConflict");
}

/// <summary>One entry of a Status body's `details.causes`.</summary>
public sealed record StatusCause(string? Reason, string? Message, string? Field);
