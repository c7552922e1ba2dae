namespace StateForge.Modules.Cluster;

public sealed record UriParams
{
    [Param("The http or https URL to request.", Required = true)]
    public string Url { get; init; } = "";

    [Param("HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, …); only GET and HEAD run in check mode.")]
    public string Method { get; init; } = "GET";

    [Param("Status codes that mean success (default 200); with retries, the codes to wait for.")]
    public IReadOnlyList<int> StatusCode { get; init; } = [200];

    [Param("Request headers.")]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    [Param("Request body: text, or a mapping/list sent as JSON (body_format json) or as a form (body_format form-urlencoded).")]
    public object? Body { get; init; }

    [Param("How body is encoded: raw (as given), json, or form-urlencoded; sets Content-Type unless headers do.", Choices = ["raw", "json", "form-urlencoded"])]
    public string BodyFormat { get; init; } = "raw";

    [Param("Verify the server's TLS certificate (the default); false turns checking off, and only when written.")]
    public bool ValidateCerts { get; init; } = true;

    [Param("A PEM file of CA certificates to verify the server with, instead of the system's.")]
    public string? CaPath { get; init; }

    [Param("Return the response body as `content` (and, when it is JSON, as `json`).")]
    public bool ReturnContent { get; init; }

    [Param("Seconds before one request gives up.")]
    public int Timeout { get; init; } = 30;

    [Param("Follow redirects: safe (only for GET and HEAD, the default), all, or none.", Choices = ["safe", "all", "none"])]
    public string FollowRedirects { get; init; } = "safe";

    [Param("User for HTTP basic authentication.")]
    public string? UrlUsername { get; init; }

    [Param("Password for HTTP basic authentication.", Secret = true)]
    public string? UrlPassword { get; init; }

    [Param("Requests to make again while the status is not one of status_code (the module's own health check, e.g. a registry's /healthz while it starts).")]
    public int Retries { get; init; }

    [Param("Seconds between those retries.")]
    public double Delay { get; init; } = 3;
}
