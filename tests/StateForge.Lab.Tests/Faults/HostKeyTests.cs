namespace StateForge.Lab.Faults;

/// <summary>
/// A host whose key is unknown or has changed is refused: UNREACHABLE with the host-key reason,
/// nothing runs there (sshd logs no login), the others proceed, exit 3. The tests share one lab
/// (the unknown-key test brings its own known_hosts, so an earlier rekey does not matter).
/// </summary>
public sealed class HostKeyTests(TwoHostLab fixture, ITestOutputHelper output) : IClassFixture<TwoHostLab>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly FaultWorkspace work = new();
    private readonly LabHosts lab = fixture.Lab;

    public void Dispose() => work.Dispose();

    /// <summary>One copy to /srv/NAME (a file per test: the tests share the lab).</summary>
    private static string Playbook(string name) => $$"""
        - name: keys
          hosts: lab
          gather_facts: false
          tasks:
            - name: marker
              copy:
                content: "here\n"
                dest: /srv/{{name}}
        """;

    private LabHost Victim => lab.Hosts[1];

    private LabHost Other => lab.Hosts[0];

    [Fact]
    public async Task ChangedHostKey_HostRefused_NothingRunsThere_OthersProceed_Exit3()
    {
        var playbook = work.Write("keys.yml", Playbook("changed-key"));
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
        File.Exists(lab.SrvPath(Victim, "changed-key")).Should().BeFalse();
        (await LoginsAsync(Victim)).Should().Be(logins, "no login may happen on a host whose key is refused");
    }

    [Fact]
    public async Task UnknownHostKey_HostRefused_NothingRunsThere_OthersProceed_Exit3()
    {
        var playbook = work.Write("keys.yml", Playbook("unknown-key"));
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
        File.Exists(lab.SrvPath(Victim, "unknown-key")).Should().BeFalse();
        (await LoginsAsync(Victim)).Should().Be(logins);
        // By host field, not by substring: a base64 key may well contain "f2".
        File.ReadAllLines(knownHosts).Select(l => l.Split(' ')[0]).Should()
            .NotContain(h => h.Split(',', StringSplitOptions.None).Contains(Victim.Name) || h.Split(',', StringSplitOptions.None).Contains(Victim.Address), "strict checking records nothing");
    }

    /// <summary>Logins sshd accepted so far (LogLevel VERBOSE: one line per accepted key).</summary>
    private static async Task<int> LoginsAsync(LabHost host) =>
        (await File.ReadAllLinesAsync(host.SshdLogPath)).Count(l => l.Contains("Accepted publickey", StringComparison.Ordinal));
}
