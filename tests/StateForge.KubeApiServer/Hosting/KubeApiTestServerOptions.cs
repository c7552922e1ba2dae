namespace StateForge.KubeApiServer.Hosting;

/// <summary>How to start a <see cref="KubeApiTestServer"/>.</summary>
public sealed record KubeApiTestServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>How long the PV binder waits after first seeing a pending claim before binding it.</summary>
    public TimeSpan BinderDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How often a watch that asked for bookmarks (allowWatchBookmarks=true) gets a BOOKMARK event with the store's current
    /// resourceVersion; a real server sends one about every minute. Null: never. Watches that did not ask never get one.
    /// </summary>
    public TimeSpan? BookmarkInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The bearer token clients must send; a random one when null.</summary>
    public string? Token { get; init; }

    /// <summary>Create what `oadm registry` left behind (DeploymentConfig and Service docker-registry) at start.</summary>
    public bool SeedRegistry { get; init; }

    /// <summary>Let ASP.NET Core log warnings and errors to the console (off for tests).</summary>
    public bool ConsoleLogging { get; init; }

    /// <summary>Called with one line per request ("METHOD path?query -> status"), for debugging tests.</summary>
    public Action<string>? RequestLog { get; init; }

    /// <summary>The clock for timestamps and the binder delay.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
