using StateForge.KubeApiServer.Json;
using StateForge.KubeApiServer.Resources;

namespace StateForge.KubeApiServer.Controllers;

/// <summary>The namespace controller: empties a Terminating namespace, then removes it.</summary>
internal sealed class NamespaceLifecycle(ResourceRegistry registry) : IController
{
    public DateTimeOffset? Sync(DateTimeOffset now)
    {
        var catalog = registry.Catalog;
        foreach (var ns in registry.Store.List(catalog.Namespaces, null).Items.Where(n => n.Phase() == "Terminating"))
        {
            var name = ns.Name()!;
            var remaining = 0;
            foreach (var type in catalog.All.Where(t => t.Namespaced))
            {
                foreach (var item in registry.Store.List(type, name).Items)
                {
                    remaining++;
                    if (item.Obj("metadata").Str("deletionTimestamp") is null)
                    {
                        registry.Delete(type, name, item.Name()!, WriteOptions.Internal);
                    }
                }
            }

            if (remaining == 0)
            {
                registry.Purge(catalog.Namespaces, ns);
            }
        }

        return null;
    }
}
