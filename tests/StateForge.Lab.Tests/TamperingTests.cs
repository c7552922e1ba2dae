using System.Net.Sockets;

namespace StateForge.Lab;

/// <summary>Tests that break a host on purpose, on their own two-host lab.</summary>
public sealed class TamperingTests : IAsyncLifetime
{
    private LabHosts _lab = null!;

    public async Task InitializeAsync() => _lab = await LabHosts.StartAsync(2, new LabOptions(Prefix: "tamper"));

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task StopSshd_MakesThePortRefuse_AndStartSshdBringsItBack()
    {
        var host = _lab.Hosts[0];

        await _lab.StopSshdAsync(host);

        var refused = await ConnectAsync(host);
        refused.Should().Be(SocketError.ConnectionRefused);
        (await _lab.SshAsync(_lab.Hosts[1], "hostname")).EnsureSuccess("the other host still answers");

        await _lab.StartSshdAsync(host);

        (await ConnectAsync(host)).Should().Be(SocketError.Success);
        (await _lab.SshAsync(host, "hostname")).StdOut.Trim().Should().Be(host.Name);
    }

    [Fact]
    public async Task Rekey_MakesStrictHostKeyCheckingFail_UntilKnownHostsIsUpdated()
    {
        var host = _lab.Hosts[1];
        (await _lab.SshAsync(host, "true")).EnsureSuccess("ssh before rekey");

        await _lab.RekeyAsync(host);

        var result = await _lab.SshAsync(host, "true");
        result.ExitCode.Should().Be(255);
        result.StdErr.Should().Contain("REMOTE HOST IDENTIFICATION HAS CHANGED").And.Contain("Host key verification failed");

        await _lab.RekeyAsync(host, updateKnownHosts: true);

        (await _lab.SshAsync(host, "hostname")).EnsureSuccess("ssh after known_hosts update").StdOut.Trim().Should().Be(host.Name);
    }

    [Fact]
    public async Task LinkDown_MakesConnectionsTimeOut_AndLinkUpRestoresThem()
    {
        var host = _lab.Hosts[0];

        await _lab.LinkDownAsync(host);
        try
        {
            (await ConnectAsync(host, TimeSpan.FromMilliseconds(500))).Should().Be(SocketError.TimedOut);
        }
        finally
        {
            await _lab.LinkUpAsync(host);
        }

        (await _lab.SshAsync(host, "hostname")).EnsureSuccess("ssh after link-up");
    }

    [Fact]
    public async Task Exec_CanTamperWithAHostByHand()
    {
        var host = _lab.Hosts[1];

        (await _lab.ExecAsync(host, "sh", "-c", "echo tampered > /etc/motd-sf")).EnsureSuccess("exec write");

        (await _lab.SshAsync(host, "cat /etc/motd-sf")).StdOut.Should().Be("tampered\n");
    }

    private static async Task<SocketError> ConnectAsync(LabHost host, TimeSpan? timeout = null)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            await client.ConnectAsync(host.Address, host.Port, cts.Token);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
        catch (OperationCanceledException)
        {
            return SocketError.TimedOut;
        }
    }
}
