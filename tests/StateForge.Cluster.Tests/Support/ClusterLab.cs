using System.Collections.Immutable;
using System.Text.Json.Nodes;
using StateForge.Execution;
using StateForge.Facts;
using StateForge.KubeApiServer.Hosting;
using StateForge.Modules;
using StateForge.Planning;
using StateForge.Transport.Kubernetes;

namespace StateForge.Cluster.Tests.Support;

/// <summary>
/// One test's API test server, its kubeconfig in a private folder, and the run services a real
/// run would share between tasks. <see cref="RunAsync"/> plans then applies, as the engine does.
/// </summary>
public sealed class ClusterLab : IAsyncDisposable
{
    private ClusterLab(KubeApiTestServer server, string folder, string kubeconfig, List<string> requests)
    {
        Server = server;
        Folder = folder;
        Kubeconfig = kubeconfig;
        Requests = requests;
    }

    public KubeApiTestServer Server { get; }

    public string Folder { get; }

    public string Kubeconfig { get; }

    /// <summary>"METHOD path?query -> status" for every request the server answered.</summary>
    public List<string> Requests { get; }

    /// <summary>The run's services; <see cref="NewRunAsync"/> starts another run (new clients, empty caches).</summary>
    public RunServices Services { get; private set; } = new();

    /// <summary>
    /// The defaults' shape with millisecond backoff and a quick recheck of waits, so that fault tests stay fast; the request timeout is generous
    /// for a loaded machine. Setting it applies it to the run's clients.
    /// </summary>
    public KubeRetryPolicy RetryPolicy
    {
        get => Services.Get<KubernetesClients>().RetryPolicy;
        set => Services.Get<KubernetesClients>().RetryPolicy = value;
    }

    public static KubeRetryPolicy FastRetries { get; } = KubeRetryPolicy.Default with
    {
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(4),
        MaxRetryAfter = TimeSpan.FromMilliseconds(10),
        ConflictDelay = TimeSpan.FromMilliseconds(1),
        RequestTimeout = TimeSpan.FromSeconds(20),
        WaitRecheck = TimeSpan.FromMilliseconds(200),
    };

    public IReadOnlyDictionary<string, object?> Variables { get; set; } = ImmutableDictionary<string, object?>.Empty;

    public static async Task<ClusterLab> StartAsync(KubeApiTestServerOptions? options = null)
    {
        var requests = new List<string>();
        options = (options ?? new KubeApiTestServerOptions()) with
        {
            RequestLog = line =>
            {
                if (!line.EndsWith("...", StringComparison.Ordinal))
                {
                    lock (requests)
                    {
                        requests.Add(line);
                    }
                }
            },
        };
        var server = await KubeApiTestServer.StartAsync(options);
        var folder = Directory.CreateTempSubdirectory("sf-cluster-").FullName;
        var lab = new ClusterLab(server, folder, server.WriteKubeconfig(Path.Combine(folder, "kubeconfig")), requests);
        lab.Variables = new Dictionary<string, object?> { ["kubeconfig"] = lab.Kubeconfig };
        lab.RetryPolicy = FastRetries;
        return lab;
    }

    public PlanContext Context(bool checkMode = false) => new()
    {
        Host = "localhost",
        Facts = new HostFacts((_, _) => throw new InvalidOperationException("cluster modules need no host facts")),
        CheckMode = checkMode,
        Variables = Variables,
        Templates = new StateForge.Templating.ScribanTemplateEngine(),
        SearchPaths = [Folder],
        Services = Services,
    };

    /// <summary>Plans, then (unless in check mode) applies: one task of a run.</summary>
    public async Task<TaskPlan> RunAsync(IModule module, object parameters, bool checkMode = false)
    {
        module.Validate(parameters).Should().BeEmpty();
        var context = Context(checkMode);
        var plan = await module.PlanAsync(parameters, context, CancellationToken.None);
        if (checkMode || plan.Failed || !(plan.Changed || plan.NeedsExecution))
        {
            return plan;
        }

        return await module.ApplyAsync(parameters, plan, context, CancellationToken.None);
    }

    /// <summary>Starts a new run: the next tasks get new clients and read everything afresh.</summary>
    public async Task NewRunAsync()
    {
        var policy = RetryPolicy;
        await Services.DisposeAsync();
        Services = new RunServices();
        RetryPolicy = policy;
    }

    public string WriteFile(string relative, string content)
    {
        var path = Path.Combine(Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>
    /// The answers the server gave to <paramref name="method"/> requests on exactly <paramref name="path"/>, in order:
    /// the status code, "reset", or "201 (served, answer lost)" for a request served before a fault replaced its answer.
    /// </summary>
    public List<string> Answers(string method, string path, bool? dryRun = null)
    {
        lock (Requests)
        {
            return [.. Requests
                .Where(r => r.StartsWith($"{method} {path}?", StringComparison.Ordinal) || r.StartsWith($"{method} {path} ", StringComparison.Ordinal))
                .Where(r => dryRun is null || r.Contains("dryRun=All", StringComparison.Ordinal) == dryRun)
                .Select(r => r[(r.IndexOf(" -> ", StringComparison.Ordinal) + 4)..].Split(' ')[0] +
                    (r.EndsWith("(served, answer lost)", StringComparison.Ordinal) ? " (served, answer lost)" : ""))];
        }
    }

    public JsonObject? Find(string apiVersion, string kind, string? ns, string name) => Server.Find(apiVersion, kind, ns, name);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
