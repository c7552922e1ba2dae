using StateForge.Facts;
using StateForge.Transport;

namespace StateForge.Tests.Facts;

public sealed class FileProbeTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("sf-probe-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static HostFacts NewFacts(LocalConnection? connection = null)
    {
        var c = connection ?? new LocalConnection("localhost");
        return new HostFacts((probes, ct) => ScriptBatch.RunAsync(c, BecomeSpec.None, HostFacts.ToSteps(probes), stopOnFailure: false, ct));
    }

    [Fact]
    public async Task Probe_RegularFile_ReadsOwnerModeChecksumAndContent()
    {
        var path = Path.Combine(dir, "it's a file");
        await File.WriteAllTextAsync(path, "hello\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var state = await NewFacts().GetAsync<FileState>(new FileProbe(path, WithContent: true), CancellationToken.None);
        state.Kind.Should().Be(FileKind.File);
        state.Mode.Should().Be("0640");
        state.Owner.Should().Be(Environment.UserName);
        state.Text.Should().Be("hello\n");
        state.Sha256.Should().Be("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    }

    // sha256sum escapes such a name and starts its line with "\"; echo in dash read "\c…" as
    // "stop output" and "\0…" as an octal byte, so the hash line was lost or wrong.
    [Theory]
    [InlineData("line 44\n", "c4f9a44c10126f59b44aebd1eff398b2caf806b6f4eab6aeb681fbb827f7afb7")]
    [InlineData("line 16\n", "0b55a999b3517dbf142481dcfb2cb49b240c27e2461c23df8cd361a2efe530c6")]
    public async Task Probe_NameWithNewlineOrBackslash_ChecksumAndContentIntact(string text, string sha256)
    {
        foreach (var name in new[] { "new\nline", "back\\slash" })
        {
            var path = Path.Combine(dir, name);
            await File.WriteAllTextAsync(path, text);
            var state = await NewFacts().GetAsync<FileState>(new FileProbe(path, WithContent: true), CancellationToken.None);
            state.Sha256.Should().Be(sha256, name);
            state.Text.Should().Be(text, name);
        }
    }

    [Fact]
    public async Task Probe_MissingPathDirectoryAndLink_AreTold()
    {
        var link = Path.Combine(dir, "link");
        File.CreateSymbolicLink(link, "/nonexistent/target");
        var facts = NewFacts();
        (await facts.GetAsync<FileState>(new FileProbe(Path.Combine(dir, "none")), CancellationToken.None)).Should().Be(FileState.Absent);
        (await facts.GetAsync<FileState>(new FileProbe(dir), CancellationToken.None)).Kind.Should().Be(FileKind.Directory);
        var l = await facts.GetAsync<FileState>(new FileProbe(link), CancellationToken.None);
        l.Kind.Should().Be(FileKind.Link);
        l.LinkTarget.Should().Be("/nonexistent/target");
    }

    [Fact]
    public async Task Prefetch_ManyProbes_OneRemoteCommand_ThenSimulationWins()
    {
        var connection = new LocalConnection("localhost");
        var facts = NewFacts(connection);
        var a = new FileProbe(Path.Combine(dir, "a"));
        var b = new FileProbe(Path.Combine(dir, "b"), WithContent: true);
        await facts.PrefetchAsync([a, b, new FileProbe(Path.Combine(dir, "a"))], CancellationToken.None);
        connection.CommandCount.Should().Be(1);
        facts.Simulate(a, new FileState(FileKind.Directory, "root", "root", "0755"));
        (await facts.GetAsync<FileState>(a, CancellationToken.None)).Kind.Should().Be(FileKind.Directory);
        (await facts.GetAsync<FileState>(b, CancellationToken.None)).Exists.Should().BeFalse();
        connection.CommandCount.Should().Be(1);
    }

    [Fact]
    public async Task Get_ContentAskedAfterStatOnly_FetchesAgainLazily()
    {
        var path = Path.Combine(dir, "f");
        await File.WriteAllTextAsync(path, "x");
        var connection = new LocalConnection("localhost");
        var facts = NewFacts(connection);
        await facts.PrefetchAsync([new FileProbe(path)], CancellationToken.None);
        var full = await facts.GetAsync<FileState>(new FileProbe(path, WithContent: true), CancellationToken.None);
        full.Text.Should().Be("x");
        connection.CommandCount.Should().Be(2);
    }

    [Fact]
    public async Task SystemFacts_OnThisMachine_NameTheFamilyAndPackageManager()
    {
        var facts = await NewFacts().GetAsync<Dictionary<string, object?>>(new SystemFactsProbe(), CancellationToken.None);
        facts["os_family"].Should().Be("Debian");
        facts["pkg_mgr"].Should().Be("apt");
        facts["hostname"].Should().Be(System.Net.Dns.GetHostName().Split('.')[0]);
        facts["system"].Should().Be("Linux");
    }
}
