using StateForge.Planning;

namespace StateForge.Tests.Planning;

public sealed class AtomicWriteTests : IDisposable
{
    private readonly LocalHost host = new();

    public void Dispose() => host.Dispose();

    private async Task<string> RunAsync(RemoteStep step, bool expectSuccess = true)
    {
        var result = await host.ShAsync("(\n" + step.Script + "\n) 2>&1; echo \"rc=$?\"");
        if (expectSuccess)
        {
            result.Should().EndWith("rc=0");
        }

        return result;
    }

    [Fact]
    public async Task Build_NewFile_GetsContentAndUmaskMode()
    {
        var dest = host.Path("new");

        await RunAsync(AtomicWrite.Build(dest, "hello\n"u8.ToArray(), null, null, null, backup: false));

        (await File.ReadAllTextAsync(dest)).Should().Be("hello\n");
        (await host.StatAsync(dest)).Should().Be("root:root:644");
    }

    [Fact]
    public async Task Build_ExistingFile_KeepsOwnerAndModeUnlessAsked()
    {
        var dest = host.Path("f");
        await File.WriteAllTextAsync(dest, "old");
        await host.ShAsync($"chown nobody:nogroup {dest}; chmod 0604 {dest}");

        await RunAsync(AtomicWrite.Build(dest, "kept"u8.ToArray(), null, null, null, backup: false));
        (await host.StatAsync(dest)).Should().Be("nobody:nogroup:604");

        await RunAsync(AtomicWrite.Build(dest, "set"u8.ToArray(), "root", "nogroup", "u=rw,g=,o=", backup: false));
        (await host.StatAsync(dest)).Should().Be("root:nogroup:600");
        (await File.ReadAllTextAsync(dest)).Should().Be("set");
    }

    [Fact]
    public async Task Build_EveryByteAndHostileName_AreWrittenExactly()
    {
        var dest = host.Path("na'me $(touch " + host.Pwned + ") `x`;\nz");
        Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).Concat("'$(touch x)`\n"u8.ToArray()).ToArray();

        await RunAsync(AtomicWrite.Build(dest, bytes, null, null, "0600", backup: false));

        (await File.ReadAllBytesAsync(dest)).Should().Equal(bytes);
        File.Exists(host.Pwned).Should().BeFalse();
    }

    [Fact]
    public async Task Build_Backup_CopiesOldFileAndPrintsItsPath()
    {
        var dest = host.Path("conf");
        await File.WriteAllTextAsync(dest, "old\n");

        var output = await RunAsync(AtomicWrite.Build(dest, "new\n"u8.ToArray(), null, null, null, backup: true));

        var backup = output[..output.IndexOf("rc=", StringComparison.Ordinal)];
        backup.Should().MatchRegex(@"^.*/conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$");
        (await File.ReadAllTextAsync(backup)).Should().Be("old\n");
        (await File.ReadAllTextAsync(dest)).Should().Be("new\n");
    }

    [Fact]
    public async Task Build_Failure_RemovesTempAndKeepsOldFile()
    {
        var dest = host.Path("keep");
        await File.WriteAllTextAsync(dest, "old");

        var output = await RunAsync(AtomicWrite.Build(dest, "new"u8.ToArray(), "no-such-user-sf", null, null, backup: false), expectSuccess: false);

        output.Should().NotEndWith("rc=0");
        (await File.ReadAllTextAsync(dest)).Should().Be("old");
        Directory.GetFiles(host.Root).Should().Equal(dest);
    }

    [Fact]
    public async Task Build_OverSymlink_ReplacesTheLinkNotTheTarget()
    {
        await File.WriteAllTextAsync(host.Path("target"), "t");
        File.CreateSymbolicLink(host.Path("link"), "target");

        await RunAsync(AtomicWrite.Build(host.Path("link"), "n"u8.ToArray(), null, null, null, backup: false));

        new FileInfo(host.Path("link")).LinkTarget.Should().BeNull();
        (await File.ReadAllTextAsync(host.Path("target"))).Should().Be("t");
    }

    [Fact]
    public async Task Build_Validate_RunsOnTempFile()
    {
        var dest = host.Path("v");

        var bad = await RunAsync(AtomicWrite.Build(dest, "x"u8.ToArray(), null, null, null, false, ["grep", "-q", "y", "%s"]), expectSuccess: false);
        await RunAsync(AtomicWrite.Build(dest, "y"u8.ToArray(), null, null, null, false, ["grep", "-q", "y", "%s"]));

        bad.Should().NotEndWith("rc=0");
        (await File.ReadAllTextAsync(dest)).Should().Be("y");
        Directory.GetFiles(host.Root).Should().Equal(dest);
    }
}
