namespace StateForge.Lab.Faults;

/// <summary>
/// 20 hosts in one run: a light playbook succeeds everywhere, and a no-op apply and a check
/// each cost at most 2 remote commands per host (facts with the lock, then the unlock).
/// </summary>
public sealed class TwentyHostsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly FaultWorkspace work = new();
    private LabHosts lab = null!;

    public async Task InitializeAsync() => lab = await LabHosts.StartAsync(20, new LabOptions(Prefix: "ftw"));

    public async Task DisposeAsync()
    {
        await lab.DisposeAsync();
        work.Dispose();
    }

    [Fact]
    public async Task TwentyHosts_AllSucceed_NoOpApplyAndCheck_AtMostTwoRemoteCommandsPerHost()
    {
        var playbook = work.Write("light.yml", """
            - name: light
              hosts: lab
              gather_facts: false
              tasks:
                - name: directory
                  file:
                    path: /srv/app
                    state: directory
                    mode: "0755"
                - name: config
                  copy:
                    content: "name={{ inventory_hostname }}\n"
                    dest: /srv/app/app.conf
                    mode: "0644"
                - name: line
                  lineinfile:
                    path: /srv/app/extra.conf
                    line: "managed=true"
                    create: true
            """);

        var first = await StateForgeRunner.ApplyAsync(lab, playbook).Within(Bound, "the first apply");
        output.WriteLine($"first apply: {first.Elapsed.TotalSeconds:0.0} s");
        first.ExitCode.Should().Be(0, first.ToString());
        var report = first.RequireReport();
        report.Hosts.Keys.Should().BeEquivalentTo(lab.Hosts.Select(h => h.Name));
        foreach (var h in lab.Hosts)
        {
            report.Outline(h.Name).Should().Equal(["directory=changed", "config=changed", "line=changed"], first.ToString());
            (await File.ReadAllTextAsync(lab.SrvPath(h, "app/app.conf"))).Should().Be($"name={h.Name}\n");
            (await File.ReadAllTextAsync(lab.SrvPath(h, "app/extra.conf"))).Should().Be("managed=true\n");
        }

        var noop = await StateForgeRunner.ApplyAsync(lab, playbook).Within(Bound, "the no-op apply");
        var check = await StateForgeRunner.CheckAsync(lab, playbook).Within(Bound, "the check");
        output.WriteLine($"no-op apply: {noop.Elapsed.TotalSeconds:0.0} s, check: {check.Elapsed.TotalSeconds:0.0} s");
        foreach (var (run, name) in new[] { (noop, "no-op apply"), (check, "check") })
        {
            run.ExitCode.Should().Be(0, $"{name}: {run}");
            var r = run.RequireReport();
            r.Hosts.Should().HaveCount(20);
            foreach (var (host, stats) in r.Hosts)
            {
                stats.Changed.Should().Be(0, $"{name} on {host}");
                stats.Ok.Should().Be(3, $"{name} on {host}");
                stats.RemoteCommands.Should().BeLessThanOrEqualTo(2, $"{name} on {host} (issue 3: at most 2 remote commands per host)");
            }

            output.WriteLine($"{name}: remote commands per host: {string.Join(",", r.Hosts.Values.Select(s => s.RemoteCommands).Distinct())}");
        }
    }
}
