namespace StateForge.KubeApiServer.Storage;

/// <summary>Where one object lives in the store: resource, namespace ("" when cluster-scoped) and name.</summary>
internal readonly record struct ObjectKey(string Resource, string Namespace, string Name);
