using System.Text;
using StateForge.Secrets;

namespace StateForge.Tests.Secrets;

public sealed class SecretFileWriterTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly VaultFixture fx = new();

    public void Dispose() => fx.Dispose();

    [Fact]
    public void Write_ReplacesByRename_SoAnOpenReaderKeepsTheOldFile()
    {
        var path = fx.Write("secrets.yml", "old content\n");
        using var reader = new StreamReader(path);

        SecretFileWriter.Write(path, "new content\n"u8).Should().BeNull();

        reader.ReadToEnd().Should().Be("old content\n", "the old inode was replaced, not rewritten in place");
        File.ReadAllText(path).Should().Be("new content\n");
        Directory.GetFileSystemEntries(fx.Dir).Should().ContainSingle("no temp file is left behind");
    }

    [Fact]
    public void Write_KeepsMode0600_AndAnyOtherMode()
    {
        var secret = fx.Write("secret.yml", "a: 1\n");
        var shared = fx.Write("shared.yml", "b: 2\n");
        File.SetUnixFileMode(secret, OwnerOnly);
        File.SetUnixFileMode(shared, OwnerOnly | UnixFileMode.GroupRead);

        SecretFileWriter.Write(secret, "x"u8).Should().BeNull();
        SecretFileWriter.Write(shared, "y"u8).Should().BeNull();

        File.GetUnixFileMode(secret).Should().Be(OwnerOnly);
        File.GetUnixFileMode(shared).Should().Be(OwnerOnly | UnixFileMode.GroupRead);
    }

    [Fact]
    public void Write_NewFile_IsOwnerOnly()
    {
        var path = fx.Path("new.yml");

        SecretFileWriter.Write(path, "a: 1\n"u8).Should().BeNull();

        File.GetUnixFileMode(path).Should().Be(OwnerOnly);
    }

    [Fact]
    public void Write_ThroughASymlink_ReplacesTheTargetAndKeepsTheLink()
    {
        var target = fx.Write("real/secrets.yml", "a: 1\n");
        var link = fx.Path("secrets.yml");
        File.CreateSymbolicLink(link, target);

        SecretFileWriter.Write(link, "b: 2\n"u8).Should().BeNull();

        new FileInfo(link).LinkTarget.Should().Be(target);
        File.ReadAllText(target).Should().Be("b: 2\n");
    }

    [Fact]
    public void Write_IntoAMissingDirectory_ReturnsTheProblem_WithoutTheContent()
    {
        var problem = SecretFileWriter.Write(fx.Path("no/such/dir/x.yml"), Encoding.UTF8.GetBytes("topsecret"));

        problem.Should().NotBeNull().And.NotContain("topsecret");
    }

    [Fact]
    public async Task ConcurrentReaders_SeeTheOldOrTheNewFile_NeverPart()
    {
        var big = new string('a', 200_000);
        var other = new string('b', 300_000);
        var path = fx.Write("big.yml", big);
        using var stop = new CancellationTokenSource();
        var torn = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var text = File.ReadAllText(path);
                if (text != big && text != other)
                {
                    Interlocked.Increment(ref torn);
                }
            }
        });

        for (var i = 0; i < 40; i++)
        {
            SecretFileWriter.Write(path, Encoding.ASCII.GetBytes(i % 2 == 0 ? other : big)).Should().BeNull();
        }

        stop.Cancel();
        await reader;
        torn.Should().Be(0);
    }
}
