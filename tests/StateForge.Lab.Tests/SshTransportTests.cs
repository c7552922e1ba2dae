using StateForge.Facts;
using StateForge.Transport;
using StateForge.Transport.Ssh;

namespace StateForge.Lab;

[Collection("lab")]
public sealed class SshTransportTests(LabFixture fixture)
{
    private LabHosts Lab => fixture.Lab;

    [Fact]
    public async Task Connect_KnownHost_RunsScriptsOverOneConnection()
    {
        var host = Lab.Hosts[0];
        await using var c = await Lab.ConnectAsync(host);
        var facts = c.Facts();
        var system = await facts.GetAsync<Dictionary<string, object?>>(new SystemFactsProbe(), CancellationToken.None);
        system["hostname"].Should().Be(host.Name);
        var r = await ScriptBatch.RunAsync(c, BecomeSpec.None, [new ScriptStep("a", Shell.Command("printf", "%s", "it's $(x)"))], true, CancellationToken.None);
        r[0].Stdout.Should().Be("it's $(x)");
        c.CommandCount.Should().Be(2);
    }

    [Fact]
    public async Task Output_ArrivesWhole_EveryTime_WithAndWithoutStdin()
    {
        // SSH.NET's Result/EndExecute drain the same output stream the connection reads as it
        // arrives; reading both lost parts of a batch's output now and then. And a command that
        // never reads stdin (hostname) may close its channel before stdin is even opened.
        var host = Lab.Hosts[0];
        await using var c = await Lab.ConnectAsync(host);
        var expected = string.Concat(Enumerable.Range(1, 20000).Select(i => i + "\n"));
        for (var i = 0; i < 15; i++)
        {
            var big = await c.RunAsync("seq 1 20000", null, CancellationToken.None);
            big.Stdout.Should().Be(expected, $"run {i} got {big.Stdout.Length} of {expected.Length} chars");
            var echoed = await c.RunAsync("cat", System.Text.Encoding.UTF8.GetBytes(expected), CancellationToken.None);
            echoed.Stdout.Should().Be(expected, $"run {i}: stdin came back whole");
            var name = await c.RunAsync("hostname", null, CancellationToken.None);
            name.Stdout.Should().Be(host.Name + "\n");
            name.ExitCode.Should().Be(0);
        }
    }

    [Fact]
    public async Task Connect_UnknownHostKey_IsRefusedStrictly()
    {
        var empty = Path.Combine(Lab.Directory, "empty_known_hosts");
        await File.WriteAllTextAsync(empty, "");
        var factory = new SshConnectionFactory(new SshSettings { KnownHostsPath = empty });
        var inv = Lab.InventoryHost(Lab.Hosts[0]);
        inv = inv with { Vars = inv.Vars.Where(kv => kv.Key != "stateforge_known_hosts").ToDictionary() };
        var act = () => factory.ConnectAsync(inv, CancellationToken.None);
        (await act.Should().ThrowAsync<HostUnreachableException>()).Which.Reason.Should().StartWith("host key:").And.Contain("not in");
    }

    [Fact]
    public async Task Connect_AcceptNew_RecordsTheKeyThenTrustsIt()
    {
        var file = Path.Combine(Lab.Directory, "accept_new_" + Guid.NewGuid().ToString("N"));
        var factory = new SshConnectionFactory(new SshSettings { KnownHostsPath = file, HostKeyChecking = HostKeyChecking.AcceptNew });
        var inv = Lab.InventoryHost(Lab.Hosts[1]);
        inv = inv with { Vars = inv.Vars.Where(kv => kv.Key != "stateforge_known_hosts").ToDictionary() };
        await (await factory.ConnectAsync(inv, CancellationToken.None)).DisposeAsync();
        (await File.ReadAllTextAsync(file)).Should().StartWith(Lab.Hosts[1].Address + " ssh-ed25519 ");
        var strict = new SshConnectionFactory(new SshSettings { KnownHostsPath = file });
        await (await strict.ConnectAsync(inv, CancellationToken.None)).DisposeAsync();
    }

    [Fact]
    public async Task Become_SudoFromANonRootUser_RunsAsRoot()
    {
        await using var c = await Lab.ConnectAsync(Lab.Hosts[2], user: Lab.BecomeUser);
        var plain = await ScriptBatch.RunAsync(c, BecomeSpec.None, [new ScriptStep("a", "id -un")], true, CancellationToken.None);
        plain[0].Stdout.Trim().Should().Be(Lab.BecomeUser);
        var root = await ScriptBatch.RunAsync(c, new BecomeSpec(true, "root"), [new ScriptStep("a", "id -un")], true, CancellationToken.None);
        root[0].Stdout.Trim().Should().Be("root");
    }

    [Fact]
    public async Task Connect_WrongKey_IsAnAuthFailure()
    {
        var key = Path.Combine(Lab.Directory, "other_key_" + Guid.NewGuid().ToString("N"));
        using (var p = System.Diagnostics.Process.Start("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]))
        {
            await p!.WaitForExitAsync();
        }

        var inv = Lab.InventoryHost(Lab.Hosts[0]);
        inv = inv with { Vars = new Dictionary<string, object?>(inv.Vars) { ["ansible_ssh_private_key_file"] = key } };
        var act = () => new SshConnectionFactory(new SshSettings()).ConnectAsync(inv, CancellationToken.None);
        (await act.Should().ThrowAsync<HostUnreachableException>()).Which.Reason.Should().StartWith("auth:");
    }
}
