namespace StateForge.Lab.Registry;

/// <summary>An xunit fixture: one <see cref="RegistryLab"/> shared by a test class.</summary>
public sealed class RegistryLabFixture : IAsyncLifetime
{
    private RegistryLab? lab;

    public RegistryLab Lab => lab ?? throw new InvalidOperationException("the registry lab has not started");

    public async Task InitializeAsync() => lab = await RegistryLab.StartAsync();

    public async Task DisposeAsync()
    {
        if (lab is not null)
        {
            await lab.DisposeAsync();
        }
    }
}
