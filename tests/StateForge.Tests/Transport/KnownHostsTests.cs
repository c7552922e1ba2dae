using System.Diagnostics;
using StateForge.Transport.Ssh;

namespace StateForge.Tests.Transport;

public sealed class KnownHostsTests : IDisposable
{
    private static readonly byte[] KeyA = [0, 0, 0, 11, 1, 2, 3];
    private static readonly byte[] KeyB = [0, 0, 0, 11, 9, 9, 9];
    private readonly string dir = Directory.CreateTempSubdirectory("sf-kh-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(dir, "known_hosts");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Check_PlainEntry_KnownUnknownAndChanged()
    {
        var k = KnownHosts.Load(Write($"# comment\n10.0.0.1,web1 ssh-ed25519 {Convert.ToBase64String(KeyA)} c\n[10.0.0.2]:2222 ssh-ed25519 {Convert.ToBase64String(KeyA)}\n"));
        k.Check("10.0.0.1", 22, "ssh-ed25519", KeyA).Should().Be(HostKeyVerdict.Known);
        k.Check("web1", 22, "ssh-ed25519", KeyA).Should().Be(HostKeyVerdict.Known);
        k.Check("10.0.0.1", 22, "ssh-ed25519", KeyB).Should().Be(HostKeyVerdict.Changed);
        k.Check("10.0.0.1", 22, "ecdsa-sha2-nistp256", KeyB).Should().Be(HostKeyVerdict.Unknown);
        k.Check("10.0.0.2", 22, "ssh-ed25519", KeyA).Should().Be(HostKeyVerdict.Unknown);
        k.Check("10.0.0.2", 2222, "ssh-ed25519", KeyA).Should().Be(HostKeyVerdict.Known);
    }

    [Fact]
    public void Check_PatternsAndNegation()
    {
        var k = KnownHosts.Load(Write($"*.lab,!bad.lab ssh-ed25519 {Convert.ToBase64String(KeyA)}\n"));
        k.Check("node1.lab", 22, "ssh-ed25519", KeyA).Should().Be(HostKeyVerdict.Known);
        k.Check("bad.lab", 22, "ssh-ed25519", KeyA).Should().Be(HostKeyVerdict.Unknown);
    }

    [Fact]
    public void Check_RevokedKey_IsRefused()
    {
        var k = KnownHosts.Load(Write($"@revoked * ssh-ed25519 {Convert.ToBase64String(KeyA)}\nh ssh-ed25519 {Convert.ToBase64String(KeyA)}\n"));
        k.Check("h", 22, "ssh-ed25519", KeyA).Should().Be(HostKeyVerdict.Revoked);
    }

    [Fact]
    public void Check_HashedEntriesWrittenBySshKeygen_AreKnown()
    {
        var path = Write($"10.1.2.3 ssh-ed25519 {Convert.ToBase64String(KeyA)}\n[10.1.2.3]:2200 ssh-ed25519 {Convert.ToBase64String(KeyB)}\n");
        using (var p = Process.Start(new ProcessStartInfo("ssh-keygen", ["-H", "-f", path]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("ssh-keygen is missing: apt-get install openssh-client"))
        {
            p.WaitForExit();
            p.ExitCode.Should().Be(0);
        }

        File.ReadAllText(path).Should().StartWith("|1|");
        var k = KnownHosts.Load(path);
        k.Check("10.1.2.3", 22, "ssh-ed25519", KeyA).Should().Be(HostKeyVerdict.Known);
        k.Check("10.1.2.3", 2200, "ssh-ed25519", KeyB).Should().Be(HostKeyVerdict.Known);
        k.Check("10.1.2.4", 22, "ssh-ed25519", KeyA).Should().Be(HostKeyVerdict.Unknown);
    }

    [Fact]
    public void Add_AcceptNew_AppendsAnOpenSshLine()
    {
        var path = Path.Combine(dir, "sub", "known_hosts");
        var k = KnownHosts.Load(path);
        k.Add("10.9.9.9", 2222, "ssh-ed25519", KeyA);
        File.ReadAllText(path).Should().Be($"[10.9.9.9]:2222 ssh-ed25519 {Convert.ToBase64String(KeyA)}\n");
        KnownHosts.Load(path).Check("10.9.9.9", 2222, "ssh-ed25519", KeyA).Should().Be(HostKeyVerdict.Known);
    }
}
