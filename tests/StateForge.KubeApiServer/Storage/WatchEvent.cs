using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Resources;

namespace StateForge.KubeApiServer.Storage;

/// <summary>A change to one object, as watchers see it. The object is frozen: never mutate it.</summary>
internal sealed record WatchEvent(string Type, ResourceType Resource, JsonObject Object, long ResourceVersion)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
}
