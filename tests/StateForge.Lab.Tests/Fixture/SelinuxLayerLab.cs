namespace StateForge.Lab;

/// <summary>
/// Two light hosts for the seboolean tests: the first with the SELinux policy store laid over its
/// root (SELinux disabled, store working), the second without any SELinux userland.
/// </summary>
public sealed class SelinuxLayerLabFixture : IAsyncLifetime
{
    private LabHosts? lab;

    public LabHosts Lab => lab ?? throw new InvalidOperationException("the lab has not started");

    public LabHost WithStore => Lab.Hosts[0];

    public LabHost WithoutSelinux => Lab.Hosts[1];

    /// <summary>How long laying the layer over the host took (the one-time build is not counted).</summary>
    public TimeSpan ApplyTime { get; private set; }

    public async Task InitializeAsync()
    {
        await SelinuxLayer.BuildAsync();
        lab = await LabHosts.StartAsync(2, new LabOptions(Prefix: "se"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await SelinuxLayer.ApplyAsync(lab, WithStore);
        ApplyTime = clock.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (lab is not null)
        {
            await lab.DisposeAsync();
        }
    }
}
