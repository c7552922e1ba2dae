using System.Diagnostics;

namespace StateForge.Lab;

/// <summary>Starting and tearing down whole labs: scale, several at once, nothing left behind.</summary>
public sealed class LifecycleTests
{
    private readonly ITestOutputHelper _output;

    public LifecycleTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Up_TwentyHosts_AllAnswerSsh()
    {
        await using var lab = await LabHosts.StartAsync(20);
        _output.WriteLine($"20 hosts up in {lab.StartupTime.TotalMilliseconds:F0} ms");

        var stopwatch = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(4);
        var names = await Task.WhenAll(lab.Hosts.Select(async host =>
        {
            await gate.WaitAsync();
            try
            {
                return (await lab.SshAsync(host, "hostname")).EnsureSuccess($"ssh {host}").StdOut.Trim();
            }
            finally
            {
                gate.Release();
            }
        }));
        _output.WriteLine($"20 ssh logins (4 at a time) in {stopwatch.Elapsed.TotalMilliseconds:F0} ms");

        names.Should().Equal(lab.Hosts.Select(h => h.Name));
        lab.StartupTime.Should().BeLessThan(TimeSpan.FromSeconds(30));
        var down = await lab.DownAsync();
        _output.WriteLine($"20 hosts down in {down.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Down_LeavesNoNamespaceLinkMountProcessOrDirectoryBehind()
    {
        var lab = await LabHosts.StartAsync(2, new LabOptions(Prefix: "gone"));
        var vethPrefix = "sf" + lab.Bridge[3..] + "v";
        (await NetnsNamesAsync()).Should().Contain(lab.Hosts.Select(h => h.NetworkNamespace));
        (await LinkNamesAsync()).Should().Contain(lab.Bridge);

        var elapsed = await lab.DownAsync();
        _output.WriteLine($"2 hosts down in {elapsed.TotalMilliseconds:F0} ms");

        (await NetnsNamesAsync()).Should().NotIntersectWith(lab.Hosts.Select(h => h.NetworkNamespace));
        var links = await LinkNamesAsync();
        links.Should().NotContain(lab.Bridge);
        links.Should().NotContain(l => l.StartsWith(vethPrefix, StringComparison.Ordinal));
        (await File.ReadAllTextAsync("/proc/self/mountinfo")).Should().NotContain(lab.Directory);
        Directory.Exists(lab.Directory).Should().BeFalse();
        foreach (var host in lab.Hosts)
        {
            IsSameProcessAlive(host.InitPid).Should().BeFalse($"{host.Name}'s init must be gone");
        }

        (await lab.DownAsync()).Should().BePositive("down is idempotent");
    }

    [Fact]
    public async Task Up_TwoLabsAtOnce_GetDistinctSubnetsAndBridges()
    {
        var starting = new[] { LabHosts.StartAsync(1), LabHosts.StartAsync(1) };
        var labs = await Task.WhenAll(starting);
        await using var first = labs[0];
        await using var second = labs[1];

        first.Subnet.Should().NotBe(second.Subnet);
        first.Bridge.Should().NotBe(second.Bridge);
        (await first.SshAsync(first.Hosts[0], "hostname")).EnsureSuccess("first lab");
        (await second.SshAsync(second.Hosts[0], "hostname")).EnsureSuccess("second lab");
    }

    [Fact]
    public async Task Up_WithoutARequiredCommand_FailsSayingWhatIsMissingAndHowToInstallIt()
    {
        // A PATH that has everything the script needs before its preflight check, but no iptables.
        var bin = Directory.CreateTempSubdirectory("sf-lab-path-");
        try
        {
            foreach (var tool in new[] { "readlink", "dirname", "ip", "nsenter", "unshare", "setpriv", "ssh-keygen", "ssh", "sudo", "sysctl", "flock" })
            {
                var target = (await ProcessRunner.RunAsync("bash", ["-c", $"command -v {tool}"])).StdOut.Trim();
                File.CreateSymbolicLink(Path.Combine(bin.FullName, tool), target);
            }

            var start = () => LabHosts.StartAsync(1, new LabOptions(Environment: new Dictionary<string, string> { ["PATH"] = bin.FullName }));

            var failure = await start.Should().ThrowAsync<LabUnavailableException>();
            failure.Which.Message.Should().Contain("missing commands: iptables").And.Contain("install-deps.sh").And.Contain("apt-get install");
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }

    private static async Task<string[]> NetnsNamesAsync() =>
        (await ProcessRunner.RunAsync("ip", ["netns", "list"])).StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToArray();

    private static async Task<string[]> LinkNamesAsync() =>
        (await ProcessRunner.RunAsync("ip", ["-o", "link", "show"])).StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(": ")[1].Split('@')[0]).ToArray();

    private static bool IsSameProcessAlive(int pid)
    {
        // A recycled pid would not be a lab init, so check what it runs.
        var cmdline = $"/proc/{pid}/cmdline";
        return File.Exists(cmdline) && File.ReadAllText(cmdline).Contains("_init", StringComparison.Ordinal);
    }
}
