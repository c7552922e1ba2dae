using StateForge.KubeApiServer.Resources.Kinds;

namespace StateForge.KubeApiServer.Resources;

/// <summary>Every resource this server serves. Built per server because some rules hold allocation state.</summary>
internal sealed class ResourceCatalog
{
    public ResourceCatalog()
    {
        Namespaces = new("", "v1", "namespaces", "namespace", "Namespace", false, ["ns"], new NamespaceRules());
        PersistentVolumes = new("", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", false, ["pv"],
            new PersistentVolumeRules());
        PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim",
            true, ["pvc"], new PersistentVolumeClaimRules());
        Services = new("", "v1", "services", "service", "Service", true, ["svc"], new ServiceRules());
        ReplicationControllers = new("", "v1", "replicationcontrollers", "replicationcontroller", "ReplicationController",
            true, ["rc"], new ReplicationControllerRules());
        Deployments = new("apps", "v1", "deployments", "deployment", "Deployment", true, ["deploy"], new DeploymentRules());
        DeploymentConfigs = new("apps.openshift.io", "v1", "deploymentconfigs", "deploymentconfig", "DeploymentConfig",
            true, ["dc"], new DeploymentConfigRules());
        All = [Namespaces, PersistentVolumes, PersistentVolumeClaims, Services, ReplicationControllers, Deployments, DeploymentConfigs];
    }

    public ResourceType Namespaces { get; }

    public ResourceType PersistentVolumes { get; }

    public ResourceType PersistentVolumeClaims { get; }

    public ResourceType Services { get; }

    public ResourceType ReplicationControllers { get; }

    public ResourceType Deployments { get; }

    public ResourceType DeploymentConfigs { get; }

    public IReadOnlyList<ResourceType> All { get; }

    public IEnumerable<(string Group, string Version)> GroupVersions =>
        All.Where(t => t.Group.Length > 0).Select(t => (t.Group, t.Version)).Distinct();

    public ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    public ResourceType? FindKind(string apiVersion, string kind) =>
        All.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);

    public IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        All.Where(t => t.Group == group && t.Version == version);
}
