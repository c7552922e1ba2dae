namespace StateForge.Lab;

/// <summary>
/// An xunit fixture that shares one lab between the tests of a collection. Three hosts by
/// default; derive and pass another count to the protected constructor for more.
/// </summary>
public class LabFixture : IAsyncLifetime
{
    private readonly int _hostCount;
    private readonly LabOptions _options;
    private LabHosts? _lab;

    public LabFixture()
        : this(3)
    {
    }

    protected LabFixture(int hostCount, LabOptions? options = null)
    {
        _hostCount = hostCount;
        _options = options ?? new LabOptions();
    }

    public LabHosts Lab => _lab ?? throw new InvalidOperationException("the lab has not started");

    public IReadOnlyList<LabHost> Hosts => Lab.Hosts;

    public async Task InitializeAsync() => _lab = await LabHosts.StartAsync(_hostCount, _options);

    public async Task DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "lab";
}
