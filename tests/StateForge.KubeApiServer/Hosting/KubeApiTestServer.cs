using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StateForge.KubeApiServer.Api;
using StateForge.KubeApiServer.Controllers;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Json;
using StateForge.KubeApiServer.Resources;
using StateForge.KubeApiServer.Security;
using StateForge.KubeApiServer.Storage;

namespace StateForge.KubeApiServer.Hosting;

/// <summary>
/// A Kubernetes-compatible API server for tests: HTTPS with its own CA, bearer-token auth, the
/// resources StateForge manages, and the controllers that make them behave (PV binder,
/// DeploymentConfig rollouts, namespace lifecycle). Start one per test; it listens on 127.0.0.1 only.
/// </summary>
public sealed class KubeApiTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestCertificateAuthority _certificates;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _controllers;
    private readonly ResourceRegistry _registry;

    private KubeApiTestServer(
        WebApplication app, TestCertificateAuthority certificates, CancellationTokenSource stopping, Task controllers,
        ResourceRegistry registry, FaultInjector faults, Uri baseUri, string token)
    {
        _app = app;
        _certificates = certificates;
        _stopping = stopping;
        _controllers = controllers;
        _registry = registry;
        Faults = faults;
        BaseUri = baseUri;
        Token = token;
    }

    /// <summary>https://127.0.0.1:{port}/</summary>
    public Uri BaseUri { get; }

    /// <summary>The bearer token every request must carry.</summary>
    public string Token { get; }

    /// <summary>PEM of the CA that signed the serving certificate.</summary>
    public string CaCertificatePem => _certificates.AuthorityPem;

    /// <summary>Failures and delays to inject into matching requests.</summary>
    public FaultInjector Faults { get; }

    /// <summary>The current value of the global resourceVersion counter.</summary>
    public long ResourceVersion => _registry.Store.ResourceVersion;

    public static async Task<KubeApiTestServer> StartAsync(KubeApiTestServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BookmarkInterval is { } bookmarkInterval)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bookmarkInterval, TimeSpan.Zero, nameof(options));
        }

        var token = options.Token ?? BearerTokenCheck.NewToken();
        var certificates = TestCertificateAuthority.Create(options.Clock);
        var stopping = new CancellationTokenSource();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificates.Server);
            });
        });
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StateForge.KubeApiServer");

        var catalog = new ResourceCatalog();
        var hub = new WatchHub();
        var store = new ObjectStore(hub, options.Clock);
        var registry = new ResourceRegistry(store, catalog);
        var faults = new FaultInjector();
        var router = new ApiRouter(
            new BearerTokenCheck(token), faults, new Discovery(catalog), new OpenApiDocument(catalog),
            new ResourceEndpoints(registry, new WatchStreamer(store, hub, options.BookmarkInterval), new TableRenderer(options.Clock)),
            catalog, logger, options.RequestLog, stopping.Token);
        app.Run(router.HandleAsync);

        foreach (var name in new[] { "default", "kube-system", "kube-public" })
        {
            registry.Create(catalog.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, WriteOptions.Internal);
        }

        var loop = new ControllerLoop(store,
            [new PersistentVolumeBinder(registry, options.BinderDelay), new StorageProtection(registry), new NamespaceLifecycle(registry)],
            logger, options.RequestLog);
        var controllers = Task.Run(() => loop.RunAsync(stopping.Token), CancellationToken.None);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var server = new KubeApiTestServer(app, certificates, stopping, controllers, registry, faults,
            new Uri($"https://127.0.0.1:{port}/"), token);
        if (options.SeedRegistry)
        {
            await server.CreateRegistryAsOadmLeavesItAsync(cancellationToken);
        }

        return server;
    }

    /// <summary>Writes a kubeconfig (CA data, token, context <paramref name="contextName"/>) and returns its path.</summary>
    public string WriteKubeconfig(string path, string contextName = "lab")
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, Kubeconfig.Render(BaseUri, CaCertificatePem, Token, contextName));
        return full;
    }

    /// <summary>Creates one object (with apiVersion and kind) as if a client had POSTed it.</summary>
    public Task<JsonObject> SeedAsync(JsonObject obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        cancellationToken.ThrowIfCancellationRequested();
        var type = _registry.Catalog.FindKind(obj.Str("apiVersion") ?? "", obj.Str("kind") ?? "")
            ?? throw new ArgumentException($"this server does not serve {obj.Str("apiVersion")} {obj.Str("kind")}", nameof(obj));
        var ns = type.Namespaced ? obj.Namespace() ?? "default" : null;
        return Task.FromResult(_registry.Create(type, ns, obj, WriteOptions.Internal));
    }

    /// <summary>Creates every object of a YAML (multi-document) or JSON text.</summary>
    public async Task<IReadOnlyList<JsonObject>> SeedAsync(string yamlOrJson, CancellationToken cancellationToken = default)
    {
        var created = new List<JsonObject>();
        foreach (var document in YamlToJson.ParseAll(yamlOrJson).OfType<JsonObject>())
        {
            var items = document.Str("kind") == "List" ? document.Arr("items")?.OfType<JsonObject>() ?? [] : [document];
            foreach (var item in items)
            {
                created.Add(await SeedAsync(item, cancellationToken));
            }
        }

        return created;
    }

    /// <summary>DeploymentConfig and Service "docker-registry" in namespace default, as `oadm registry` made them.</summary>
    public Task<IReadOnlyList<JsonObject>> CreateRegistryAsOadmLeavesItAsync(CancellationToken cancellationToken = default) =>
        SeedAsync(OadmRegistry.Yaml, cancellationToken);

    /// <summary>The stored object, or null; for assertions that should not go through a client.</summary>
    public JsonObject? Find(string apiVersion, string kind, string? ns, string name)
    {
        var type = _registry.Catalog.FindKind(apiVersion, kind);
        return type is null ? null : _registry.Store.Get(type, type.Namespaced ? ns : null, name);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(grace.Token);
        }

        await _controllers;
        await _app.DisposeAsync();
        _certificates.Dispose();
        _stopping.Dispose();
    }
}
