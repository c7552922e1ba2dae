namespace StateForge.Lab.Registry;

/// <summary>What a GET of the registry's health URL from the machine gave.</summary>
/// <param name="Url">The URL asked.</param>
/// <param name="StatusCode">The HTTP status; null when there was no answer.</param>
/// <param name="Body">The body (docker-registry answers "{}"), or why there was no answer.</param>
/// <param name="ApiVersion">The Docker-Distribution-Api-Version header ("registry/2.0" on /v2/).</param>
public sealed record RegistryHealth(Uri Url, int? StatusCode, string Body, string? ApiVersion)
{
    public bool Healthy => StatusCode == 200;

    public override string ToString() => $"GET {Url} -> {(StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer")}: {Body}";
}
