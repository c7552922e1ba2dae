namespace StateForge.KubeApiServer.Controllers;

/// <summary>A reconciler the controller loop runs after every store change, under the store's gate.</summary>
internal interface IController
{
    /// <summary>Reconciles once; returns when it next wants to run even if nothing changes (null: no need).</summary>
    DateTimeOffset? Sync(DateTimeOffset now);
}
