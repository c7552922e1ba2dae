using k8s;
using StateForge.KubeApiServer.Hosting;

namespace StateForge.KubeApiServer.Tests.Support;

/// <summary>One test's own server, kubeconfig (in a private temp folder) and typed client.</summary>
public sealed class Lab : IAsyncDisposable
{
    private Lab(KubeApiTestServer server, string folder, string kubeconfig)
    {
        Server = server;
        Folder = folder;
        KubeconfigPath = kubeconfig;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    public KubeApiTestServer Server { get; }

    public string Folder { get; }

    public string KubeconfigPath { get; }

    public Kubernetes Client { get; }

    public static async Task<Lab> StartAsync(KubeApiTestServerOptions? options = null)
    {
        options ??= new KubeApiTestServerOptions();
        if (Environment.GetEnvironmentVariable("STATEFORGE_KUBE_TRACE") is { Length: > 0 } trace)
        {
            var gate = new Lock();
            options = options with
            {
                RequestLog = line =>
                {
                    lock (gate)
                    {
                        File.AppendAllText(trace, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}\n");
                    }
                },
            };
        }

        var server = await KubeApiTestServer.StartAsync(options);
        var folder = Directory.CreateTempSubdirectory("kube-lab-").FullName;
        return new Lab(server, folder, server.WriteKubeconfig(Path.Combine(folder, "kubeconfig")));
    }

    /// <summary>A kubectl bound to this lab's kubeconfig with its own discovery cache.</summary>
    public KubectlRunner Kubectl() => new(KubeconfigPath, Path.Combine(Folder, "kubectl-cache"), Folder);

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
