namespace StateForge.Transport.Kubernetes;

/// <summary>A kind the API server serves: its group/version, plural resource name and scope (from discovery).</summary>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    /// <summary>`Kind name` or `Kind namespace/name`, as plans name resources.</summary>
    public string Describe(string? ns, string name) => Namespaced && ns is not null ? $"{Kind} {ns}/{name}" : $"{Kind} {name}";

    public ApiStatus.Subject Subject(string? ns, string? name) => new(Kind, Namespaced ? ns : null, name);
}
