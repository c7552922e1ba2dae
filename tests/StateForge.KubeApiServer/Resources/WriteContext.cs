using StateForge.KubeApiServer.Storage;

namespace StateForge.KubeApiServer.Resources;

/// <summary>What a kind's side effects may touch: the registry, the store and the catalog, at one moment.</summary>
internal sealed record WriteContext(ResourceRegistry Registry, ObjectStore Store, ResourceCatalog Catalog, string Now);
