using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Autorest;

namespace StateForge.Transport.Kubernetes;

/// <summary>Turns the API server's Status bodies into <see cref="KubeApiException"/>s users can read.</summary>
public static class ApiStatus
{
    /// <summary>The object an error is about, for the `Kind "name"` prefix.</summary>
    public readonly record struct Subject(string Kind, string? Namespace, string? Name)
    {
        public override string ToString() => Name is null ? Kind : $"{Kind} \"{(Namespace is null ? Name : Namespace + "/" + Name)}\"";
    }

    /// <summary>
    /// What was asked, for auth errors: the Kubernetes verb (get, list, create, update, patch, delete),
    /// the plural resource, the namespace and the kubeconfig user.
    /// </summary>
    public readonly record struct Request(string Verb, string Resource, string? Namespace, string? User)
    {
        public override string ToString() => $"{Verb} {Resource}" + (Namespace is null ? "" : $" in namespace \"{Namespace}\"");
    }

    public static KubeApiException From(HttpOperationException error, Subject subject, string? context, Request? request = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var code = (int)(error.Response?.StatusCode ?? 0);
        // Priority and fairness turns a request away with 429 before it is processed.
        return Parse(code, error.Response?.Content, subject, context, request, RetryAfterOf(error), code != (int)HttpStatusCode.TooManyRequests);
    }

    /// <summary>Parses a Status body (or any text the server sent) for an answer with HTTP code <paramref name="code"/>.</summary>
    public static KubeApiException From(int code, string? body, Subject subject, string? context, Request? request = null) =>
        Parse(code, body, subject, context, request, null, true);

    private static KubeApiException Parse(int code, string? body, Subject subject, string? context, Request? request, TimeSpan? retryAfter, bool maybeProcessed)
    {
        string? reason = null;
        string? message = null;
        string? detailsKind = null;
        string? detailsName = null;
        var causes = new List<StatusCause>();
        try
        {
            if (!string.IsNullOrWhiteSpace(body) && JsonNode.Parse(body) is JsonObject status && status["kind"]?.ToString() == "Status")
            {
                reason = status["reason"]?.ToString();
                message = status["message"]?.ToString();
                detailsKind = status["details"]?["kind"]?.ToString();
                detailsName = status["details"]?["name"]?.ToString();
                if (status["details"]?["causes"] is JsonArray list)
                {
                    causes.AddRange(list.OfType<JsonObject>().Select(c =>
                        new StatusCause(c["reason"]?.ToString(), c["message"]?.ToString(), c["field"]?.ToString())));
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status: a proxy or a non-Kubernetes server answered; the raw text is the message.
        }

        reason ??= ReasonFor(code);
        message ??= string.IsNullOrWhiteSpace(body) ? $"the server answered {code}" : body.Trim();
        return new KubeApiException(code, reason, Format(subject, code, reason, message, causes, context, request), causes, detailsKind, detailsName)
        {
            RetryAfter = retryAfter,
            MaybeProcessed = maybeProcessed,
        };
    }

    public static string Format(Subject subject, int code, string reason, string message, IReadOnlyList<StatusCause> causes, string? context, Request? request = null)
    {
        var sb = new StringBuilder();
        if (code is (int)HttpStatusCode.Unauthorized)
        {
            sb.Append("authentication failed for ").Append(ContextText(context));
            if (request?.User is { } user)
            {
                sb.Append(" (user \"").Append(user).Append("\")");
            }

            sb.Append(": the API server rejected the credentials (").Append(reason).Append(": ").Append(message).Append(')');
            if (request is { } asked)
            {
                sb.Append(" to ").Append(asked);
            }

            sb.Append("; check the token or client certificate of that context in the kubeconfig");
            return sb.ToString();
        }

        sb.Append(subject).Append(": ").Append(reason).Append(": ").Append(message);
        if (code is (int)HttpStatusCode.Forbidden && causes.Count == 0)
        {
            if (request is { } asked)
            {
                sb.Append(" (").Append(asked).Append(" as ").Append(asked.User is null ? "the user" : $"user \"{asked.User}\"")
                    .Append(" of ").Append(ContextText(context)).Append(')');
            }
            else
            {
                sb.Append(" (user of ").Append(ContextText(context)).Append(')');
            }
        }

        foreach (var cause in causes.Where(c => c.Message is not null || c.Field is not null))
        {
            sb.Append("\n  - ");
            if (cause.Field is { Length: > 0 } field)
            {
                sb.Append(field).Append(": ");
            }

            sb.Append(cause.Message);
        }

        if (causes.Any(c => c.Reason == "FieldManagerConflict"))
        {
            sb.Append("\n  other field managers own these fields; force: true takes them over");
        }

        return sb.ToString();
    }

    private static TimeSpan? RetryAfterOf(HttpOperationException error)
    {
        var value = error.Response?.Headers?
            .FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static string ContextText(string? context) => context is null ? "the in-cluster service account" : $"context \"{context}\"";

    private static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Expired",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => $"HTTP {code}",
    };
}
