using StateForge.Lab.Faults;
using StateForge.Modules.Host;
using static StateForge.Lab.Modules.ModuleDriver;

namespace StateForge.Lab.Modules;

/// <summary>
/// iptables_state on a real host (host1 of the shared lab; its tables and files are restored
/// afterwards): through the stateforge command line with the Ansible name, as the bench's
/// Ansible file uses it, and through the module driver for hostile paths.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class IptablesStateModuleLabTests(LabFixture fixture) : IAsyncLifetime, IDisposable
{
    private const string Saved = "/etc/iptables/rules.v4";
    private const string Source = "/etc/sysconfig/iptables";

    private const string RhelStock =
        "# sample configuration for iptables service\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" +
        "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p icmp -j ACCEPT\n-A INPUT -i lo -j ACCEPT\n" +
        "-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n" +
        "-A FORWARD -j REJECT --reject-with icmp-host-prohibited\nCOMMIT\n";

    // The OpenShift layout, written by hand: no -m tcp, ports before states, as iptables-save would not print it.
    private const string WithAllowChain =
        "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:OS_FIREWALL_ALLOW - [0:0]\n" +
        "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p icmp -j ACCEPT\n-A INPUT -i lo -j ACCEPT\n" +
        "-A INPUT -p tcp --dport 22 -m state --state NEW -j ACCEPT\n-A INPUT -j OS_FIREWALL_ALLOW\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n" +
        "-A FORWARD -j REJECT --reject-with icmp-host-prohibited\n-A OS_FIREWALL_ALLOW -p tcp --dport 2049 -m state --state NEW -j ACCEPT\nCOMMIT\n";

    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private readonly LabHosts lab = fixture.Lab;
    private readonly string work = Directory.CreateTempSubdirectory("sf-iptables-state-").FullName;
    private ModuleDriver host = null!;

    private LabHost Host => lab.Hosts[0];

    public async Task InitializeAsync()
    {
        host = await ConnectAsync(lab, Host);
        await host.WriteAsync(Source, RhelStock);
        await host.ExecAsync("sh", "-c", "iptables-restore < \"$1\" && rm -rf /etc/iptables /tmp/pwned", "sh", Source);
    }

    public async Task DisposeAsync() =>
        await lab.ExecAsync(Host, "sh", "-c", "iptables -P INPUT ACCEPT; iptables -P OUTPUT ACCEPT; iptables -F; iptables -X; rm -rf /etc/sysconfig /etc/iptables /tmp/pwned /tmp/sf-state*");

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string Playbook(string name, string task) => WritePlaybook(name, $$"""
        - name: {{name}}
          hosts: {{Host.Name}}
          gather_facts: false
          tasks:
        {{task}}
        """);

    private string WritePlaybook(string name, string text)
    {
        var path = Path.Combine(work, name + ".yml");
        File.WriteAllText(path, text);
        return path;
    }

    private Task<StateForgeRun> RunAsync(string command, string playbook, params string[] options) =>
        StateForgeRunner.RunAsync(lab, command, playbook, options).Within(Bound, $"stateforge {command}");

    [Fact]
    public async Task Saved_WritesTheNormalisedSave_RerunIsOk_ARuleAddedByHandIsDrift_CheckExits2NamingTheFile_ApplyRepairs()
    {
        var playbook = Playbook("save", $"""
                - name: Save the rules
                  community.general.iptables_state:
                    state: saved
                    path: {Saved}
            """);

        var first = await RunAsync("apply", playbook);
        first.ExitCode.Should().Be(0, first.ToString());
        first.RequireReport().Outline(Host.Name).Should().Equal("Save the rules=changed");
        await AssertSavedMatchesRuntimeAsync();
        (await host.ExecAsync("stat", "-c", "%a", Saved)).Should().Be("600\n");

        var rerun = await RunAsync("apply", playbook);
        rerun.ExitCode.Should().Be(0, rerun.ToString());
        rerun.RequireReport().Outline(Host.Name).Should().Equal("Save the rules=ok");
        (await RunAsync("check", playbook)).ExitCode.Should().Be(0);

        await host.ExecAsync("iptables", "-I", "INPUT", "1", "-p", "tcp", "--dport", "4711", "-j", "ACCEPT");
        var drift = await RunAsync("check", playbook, "--diff");
        drift.ExitCode.Should().Be(2, drift.ToString());
        drift.Out.Should().Contain(Saved).And.Contain("+-A INPUT -p tcp -m tcp --dport 4711 -j ACCEPT");
        (await host.ExecAsync("cat", Saved)).Should().NotContain("4711", "check changes nothing");

        var repair = await RunAsync("apply", playbook);
        repair.ExitCode.Should().Be(0, repair.ToString());
        repair.RequireReport().Outline(Host.Name).Should().Equal("Save the rules=changed");
        await AssertSavedMatchesRuntimeAsync();
        (await host.ExecAsync("cat", Saved)).Should().Contain("-A INPUT -p tcp -m tcp --dport 4711 -j ACCEPT\n");
        (await RunAsync("check", playbook)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Saved_AfterIptablesTasksOfTheSamePlay_OnAHostWithoutRules_SecondApplyChangesNothing()
    {
        await host.ExecAsync("sh", "-c", "iptables -F; iptables -X; rm -rf /etc/sysconfig /etc/iptables");
        var playbook = Playbook("rules-then-save", $"""
                - name: Allow chain
                  ansible.builtin.iptables:
                    chain: OS_FIREWALL_ALLOW
                    chain_management: true
                - name: NFS port
                  ansible.builtin.iptables:
                    chain: OS_FIREWALL_ALLOW
                    protocol: tcp
                    match: [state]
                    ctstate: [NEW]
                    destination_port: "2049"
                    jump: ACCEPT
                    comment: nfs
                - name: Save the rules
                  community.general.iptables_state:
                    state: saved
                    path: {Saved}
            """);

        var first = await RunAsync("apply", playbook);
        first.ExitCode.Should().Be(0, first.ToString());
        first.RequireReport().Outline(Host.Name).Should().Equal("Allow chain=changed", "NFS port=changed", "Save the rules=changed");
        await AssertSavedMatchesRuntimeAsync(stock: false);
        (await host.ExecAsync("cat", Saved)).Should().Contain("--dport 2049 -m comment --comment nfs -j ACCEPT\n");

        var second = await RunAsync("apply", playbook);
        second.ExitCode.Should().Be(0, second.ToString());
        second.RequireReport().Outline(Host.Name).Should().Equal(["Allow chain=ok", "NFS port=ok", "Save the rules=ok"], second.Out);
        (await RunAsync("check", playbook)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Restored_MakesTheRuntimeAsTheFile_RerunIsOk()
    {
        await host.WriteAsync(Source, WithAllowChain);
        var playbook = Playbook("restore", $"""
                - name: Restore the rules
                  iptables_state:
                    state: restored
                    path: {Source}
            """);

        var check = await RunAsync("check", playbook, "--diff");
        check.ExitCode.Should().Be(2, check.ToString());
        check.Out.Should().Contain("+-N OS_FIREWALL_ALLOW");
        (await host.ExecAsync("iptables", "-S")).Should().NotContain("OS_FIREWALL_ALLOW", "check changes nothing");

        var apply = await RunAsync("apply", playbook);
        apply.ExitCode.Should().Be(0, apply.ToString());
        apply.RequireReport().Outline(Host.Name).Should().Equal("Restore the rules=changed");
        (await host.ExecAsync("iptables", "-S")).Should().Be(
            "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N OS_FIREWALL_ALLOW\n" +
            "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p icmp -j ACCEPT\n-A INPUT -i lo -j ACCEPT\n" +
            "-A INPUT -p tcp -m tcp --dport 22 -m state --state NEW -j ACCEPT\n-A INPUT -j OS_FIREWALL_ALLOW\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n" +
            "-A FORWARD -j REJECT --reject-with icmp-host-prohibited\n-A OS_FIREWALL_ALLOW -p tcp -m tcp --dport 2049 -m state --state NEW -j ACCEPT\n");

        var rerun = await RunAsync("apply", playbook);
        rerun.ExitCode.Should().Be(0, rerun.ToString());
        rerun.RequireReport().Outline(Host.Name).Should().Equal(["Restore the rules=ok"], "the file, written by hand, is what runs");
    }

    [Fact]
    public async Task HostilePath_IsPassedLiterally_AndNoCommandRunsFromIt()
    {
        const string Marker = "/tmp/pwned";
        var module = new IptablesStateModule();
        var path = "/tmp/sf-state $(touch /tmp/pwned) `touch /tmp/pwned`; 'q' \"d\"\nx.v4";

        var saved = await host.ApplyAsync(module, Args("state", "saved", "path", path));
        saved.Failed.Should().BeFalse(saved.Message);
        saved.Changed.Should().BeTrue();
        (await host.ExecAsync("cat", path)).Should().Contain("-A INPUT -j REJECT --reject-with icmp-host-prohibited\n");
        host.Refresh();
        (await host.PlanAsync(module, Args("state", "saved", "path", path))).Changed.Should().BeFalse();

        await host.ExecAsync("iptables", "-A", "FORWARD", "-p", "udp", "--dport", "4712", "-j", "DROP");
        host.Refresh();
        var restored = await host.ApplyAsync(module, Args("state", "restored", "path", path));
        restored.Failed.Should().BeFalse(restored.Message);
        restored.Changed.Should().BeTrue();
        (await host.ExecAsync("iptables", "-S", "FORWARD")).Should().NotContain("4712");
        (await host.ExistsAsync(Marker)).Should().BeFalse();
    }

    /// <summary>The file is iptables-save's output without dates and counters, with a final newline.</summary>
    private async Task AssertSavedMatchesRuntimeAsync(bool stock = true)
    {
        var file = await host.ExecAsync("cat", Saved);
        var save = await host.ExecAsync("iptables-save");
        var expected = string.Join('\n', save.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.StartsWith("# ", StringComparison.Ordinal) && l.Contains(" on ", StringComparison.Ordinal) ? l[..l.LastIndexOf(" on ", StringComparison.Ordinal)] : l)
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\[[0-9]+:[0-9]+\]", "[0:0]"))) + "\n";
        file.Should().Be(expected);
        file.Should().Contain("*filter\n").And.NotContain(" on ");
        if (stock)
        {
            file.Should().Contain("-A INPUT -j REJECT --reject-with icmp-host-prohibited\n");
        }
    }
}
