namespace StateForge.Lab.Faults;

/// <summary>
/// A host whose key is unknown or has changed is refused: UNREACHABLE with the host-key reason,
/// nothing runs there (sshd logs no login), the others proceed, exit 3.
/// </summary>
public sealed class HostKeyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly FaultWorkspace work = new();
    private LabHosts lab = null!;

    public async Task InitializeAsync() => lab = await LabHosts.StartAsync(2, new LabOptions(Prefix: "fkey"));

    public async Task DisposeAsync()
    {
        await lab.DisposeAsync();
        work.Dispose();
    }

    private const string Playbook = """
        - name: keys
          hosts: lab
          gather_facts: false
          tasks:
            - name: marker
              copy:
                content: "here\n"
                dest: /srv/marker
        """;

    private LabHost Victim => lab.Hosts[1];

    private LabHost Other => lab.Hosts[0];

    [Fact]
    public async Task ChangedHostKey_HostRefused_NothingRunsThere_OthersProceed_Exit3()
    {
        var playbook = work.Write("keys.yml", Playbook);
        await lab.RekeyAsync(Victim);
        var logins = await LoginsAsync(Victim);

        var result = await StateForgeRunner.ApplyAsync(lab, playbook).Within(Bound, "the apply");
        output.WriteLine(result.ToString());

        result.ExitCode.Should().Be(3, result.ToString());
        var report = result.RequireReport();
        var refused = report.On(Victim.Name).Should().ContainSingle().Subject;
        refused.Status.Should().Be("unreachable");
        refused.Message.Should().StartWith("host key:").And.Contain("CHANGED");
        report.Outline(Other.Name).Should().Equal("marker=changed");
        File.Exists(lab.SrvPath(Victim, "marker")).Should().BeFalse();
        (await LoginsAsync(Victim)).Should().Be(logins, "no login may happen on a host whose key is refused");
    }

    [Fact]
    public async Task UnknownHostKey_HostRefused_NothingRunsThere_OthersProceed_Exit3()
    {
        var playbook = work.Write("keys.yml", Playbook);
        var knownHosts = work.Write("known_hosts", string.Concat(
            File.ReadAllLines(lab.KnownHostsPath).Where(l => !l.StartsWith(Victim.Name + ",", StringComparison.Ordinal)).Select(l => l + "\n")));
        var logins = await LoginsAsync(Victim);

        var result = await StateForgeRunner.RunAsync(lab, "apply", playbook, knownHosts: knownHosts).Within(Bound, "the apply");
        output.WriteLine(result.ToString());

        result.ExitCode.Should().Be(3, result.ToString());
        var report = result.RequireReport();
        var refused = report.On(Victim.Name).Should().ContainSingle().Subject;
        refused.Status.Should().Be("unreachable");
        refused.Message.Should().StartWith("host key:").And.Contain("is not in").And.Contain(knownHosts);
        report.Outline(Other.Name).Should().Equal("marker=changed");
        File.Exists(lab.SrvPath(Victim, "marker")).Should().BeFalse();
        (await LoginsAsync(Victim)).Should().Be(logins);
        File.ReadAllText(knownHosts).Should().NotContain(Victim.Name, "strict checking records nothing");
    }

    /// <summary>Logins sshd accepted so far (LogLevel VERBOSE: one line per accepted key).</summary>
    private static async Task<int> LoginsAsync(LabHost host) =>
        (await File.ReadAllLinesAsync(host.SshdLogPath)).Count(l => l.Contains("Accepted publickey", StringComparison.Ordinal));
}
