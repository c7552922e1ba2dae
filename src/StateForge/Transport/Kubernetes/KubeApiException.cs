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

    /// <summary>A stale resourceVersion (not AlreadyExists, not a server-side apply ownership conflict).</summary>
    public bool IsUpdateConflict => StatusCode == (int)HttpStatusCode.Conflict && Reason == "Conflict" &&
        !Causes.Any(c => c.Reason == "FieldManagerConflict");
}

/// <summary>One entry of a Status body's `details.causes`.</summary>
public sealed record StatusCause(string? Reason, string? Message, string? Field);
