using System.Text.Json.Nodes;

namespace StateForge.Transport.Kubernetes;

/// <summary>What the server adds to every object and no user declares; removed before objects are shown or compared whole.</summary>
public static class ServerNoise
{
    private static readonly string[] MetadataFields =
        ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

    public static JsonObject Clean(JsonObject obj)
    {
        var copy = obj.CloneObject();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in MetadataFields)
            {
                metadata.Remove(field);
            }

            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }

        return copy;
    }
}
