namespace StateForge.Lab;

/// <summary>
/// A lab whose hosts use the test apt repository as their only, offline, apt source. Light
/// hosts by default; derive with systemd: true for systemd-nspawn hosts.
/// </summary>
public class AptRepositoryLabFixture : IAsyncLifetime
{
    private readonly int count;
    private readonly LabOptions options;
    private LabHosts? lab;

    public AptRepositoryLabFixture()
        : this(2, new LabOptions(Prefix: "pkg"))
    {
    }

    protected AptRepositoryLabFixture(int count, LabOptions options)
    {
        this.count = count;
        this.options = options;
    }

    public LabHosts Lab => lab ?? throw new InvalidOperationException("the lab has not started");

    /// <summary>How long starting the hosts and configuring apt on them took.</summary>
    public TimeSpan SetupTime { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await AptRepository.BuildAsync();
        lab = await LabHosts.StartAsync(count, options);
        await Task.WhenAll(lab.Hosts.Select(h => AptRepository.ConfigureAsync(lab, h)));
        SetupTime = clock.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (lab is not null)
        {
            await lab.DisposeAsync();
        }
    }
}

/// <summary>One light host for the sysv service tests, with the test apt repository.</summary>
public sealed class AptRepositorySysvLabFixture() : AptRepositoryLabFixture(1, new LabOptions(Prefix: "sysv"));

/// <summary>One systemd host (systemd-nspawn) for the systemd service tests, with the test apt repository in its /srv.</summary>
public sealed class AptRepositorySystemdLabFixture() : AptRepositoryLabFixture(1, new LabOptions(Prefix: "sdsvc", Systemd: true));
