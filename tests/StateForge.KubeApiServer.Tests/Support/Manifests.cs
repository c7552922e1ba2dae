using k8s.Models;

namespace StateForge.KubeApiServer.Tests.Support;

/// <summary>Objects the tests create, built with the client's own model types.</summary>
public static class Manifests
{
    public static V1PersistentVolume NfsVolume(string name, string size = "10Gi", string mode = "ReadWriteMany") => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolume",
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "registry" } },
        Spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
            AccessModes = [mode],
            Nfs = new V1NFSVolumeSource { Server = "nfs.example.com", Path = $"/exports/{name}" },
        },
    };

    public static V1PersistentVolumeClaim Claim(string name, string size = "5Gi", string mode = "ReadWriteMany") => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = [mode],
            StorageClassName = "",
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) } },
        },
    };

    public static V1Service Service(string name, string? ns = "default") => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 }],
        },
    };

    public static V1Deployment Deployment(string name) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container
                    {
                        Name = "web",
                        Image = "nginx:1.25",
                        Ports = [new V1ContainerPort { ContainerPort = 80 }],
                        VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }],
                    }],
                    Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() }],
                },
            },
        },
    };

    /// <summary>A DeploymentConfig as the custom-object API takes it: plain JSON-shaped dictionaries.</summary>
    public static Dictionary<string, object> DeploymentConfig(string name, string image = "registry:2") => new()
    {
        ["apiVersion"] = "apps.openshift.io/v1",
        ["kind"] = "DeploymentConfig",
        ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new Dictionary<string, object>
        {
            ["replicas"] = 1,
            ["selector"] = new Dictionary<string, object> { ["app"] = name },
            ["triggers"] = new[] { new Dictionary<string, object> { ["type"] = "ConfigChange" } },
            ["template"] = new Dictionary<string, object>
            {
                ["metadata"] = new Dictionary<string, object> { ["labels"] = new Dictionary<string, object> { ["app"] = name } },
                ["spec"] = new Dictionary<string, object>
                {
                    ["containers"] = new[]
                    {
                        new Dictionary<string, object>
                        {
                            ["name"] = "registry",
                            ["image"] = image,
                            ["ports"] = new[] { new Dictionary<string, object> { ["containerPort"] = 5000 } },
                        },
                    },
                },
            },
        },
    };
}
