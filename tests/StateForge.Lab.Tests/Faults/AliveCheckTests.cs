using StateForge.Transport;
using StateForge.Transport.Ssh;

namespace StateForge.Lab.Faults;

/// <summary>
/// Without a command timeout, a host that stops answering while a command runs is found by the
/// alive check (every keepalive interval, answered within the connect timeout) and is
/// UNREACHABLE, instead of hanging the run until the kernel gives up on the connection; a quiet
/// long command on a host that answers is left alone. At the transport level, with a 1–2 s check.
/// </summary>
public sealed class AliveCheckTests(TwoHostLab fixture, ITestOutputHelper output) : IClassFixture<TwoHostLab>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);
    private readonly LabHosts lab = fixture.Lab;

    private LabHost Victim => lab.Hosts[1];

    private LabHost Other => lab.Hosts[0];

    [Fact]
    public async Task LinkDownWhileACommandRuns_WithoutACommandTimeout_TheAliveCheckEndsIt()
    {
        // Transport level, to use a 2 s check instead of the default 30 s.
        var factory = new SshConnectionFactory(new SshSettings { KnownHostsPath = lab.KnownHostsPath, KeepAlive = TimeSpan.FromSeconds(2), ConnectTimeout = TimeSpan.FromSeconds(2) });
        await using var connection = await factory.ConnectAsync(lab.InventoryHost(Victim), CancellationToken.None);
        var run = connection.RunAsync("touch /srv/quiet; sleep 60", null, CancellationToken.None);
        await FaultKit.WaitUntilAsync(() => File.Exists(lab.SrvPath(Victim, "quiet")) || run.IsCompleted, Bound, "the command to start");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await lab.LinkDownAsync(Victim);
        try
        {
            var lost = await FluentActions.Awaiting(() => run.WaitAsync(Bound)).Should().ThrowAsync<HostUnreachableException>();
            lost.Which.Reason.Should().StartWith("connection lost: the host stopped answering");
            output.WriteLine($"{lost.Which.Reason} after {clock.Elapsed.TotalSeconds:0.0} s");
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "a check every 2 s that must be answered within 2 s");
        }
        finally
        {
            await lab.LinkUpAsync(Victim);
        }
    }

    [Fact]
    public async Task LongQuietCommand_OnAHostThatAnswers_IsNotCutByTheAliveCheck()
    {
        var factory = new SshConnectionFactory(new SshSettings { KnownHostsPath = lab.KnownHostsPath, KeepAlive = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromSeconds(5) });
        await using var connection = await factory.ConnectAsync(lab.InventoryHost(Other), CancellationToken.None);

        var result = await connection.RunAsync("sleep 4; echo done", null, CancellationToken.None).WaitAsync(Bound);

        result.ExitCode.Should().Be(0);
        result.Stdout.Should().Be("done\n");
        connection.CommandCount.Should().Be(1, "the alive checks are not the playbook's commands");
    }
}
