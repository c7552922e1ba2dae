using System.Collections.Immutable;

namespace StateForge.KubeApiServer.Resources;

/// <summary>One served resource: where it lives in the URL space and which rules it follows.</summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    ImmutableArray<string> ShortNames,
    ResourceRules Rules)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public string ListKind => Kind + "List";

    /// <summary>Key of the type inside the store.</summary>
    public string StoreKey => $"{Group}/{Plural}";

    public override string ToString() => QualifiedPlural;
}
