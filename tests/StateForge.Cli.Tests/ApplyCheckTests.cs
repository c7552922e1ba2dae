using System.Text.Json;

namespace StateForge.Cli.Tests;

public sealed class ApplyCheckTests : IDisposable
{
    private readonly Workspace ws = new();

    public ApplyCheckTests() => ws.WriteSite();

    public void Dispose() => ws.Dispose();

    [Fact]
    public async Task Apply_FirstRunChanges_SecondRunChangesNothing()
    {
        var first = await ws.RunAsync("apply", "site.yml");
        first.ExitCode.Should().Be(0, first.Out + first.Error);
        first.Out.Should().Contain("localhost                  : ok=6    changed=5");
        first.Out.Should().Contain("RUNNING HANDLER [config changed]");
        ws.Read("managed/etc/app.conf").Should().Be("name=demo\nport=8080\nuser=alice\nuser=bob\n");
        ws.Read("managed/etc/sysconfig").Should().Be("RPCMOUNTDOPTS=\"-p 20048\"\n");
        ws.Exists("managed/built").Should().BeTrue();

        var second = await ws.RunAsync("apply", "site.yml");
        second.ExpectExit(0);
        second.Out.Should().Contain("localhost                  : ok=5    changed=0");
        second.Out.Should().NotContain("RUNNING HANDLER");
    }

    [Fact]
    public async Task Check_FreshMachine_PlansDependentTasks_AndTouchesNothing()
    {
        var check = await ws.RunAsync("check", "site.yml", "--json", "report.json");
        check.ExitCode.Should().Be(2, check.Out + check.Error);
        check.Out.Should().NotContain("failed:");
        ws.Exists("managed").Should().BeFalse();
        using var report = JsonDocument.Parse(ws.Read("report.json"));
        report.RootElement.GetProperty("mode").GetString().Should().Be("check");
        report.RootElement.GetProperty("drift").GetBoolean().Should().BeTrue();
        report.RootElement.GetProperty("exit_code").GetInt32().Should().Be(2);
        var statuses = report.RootElement.GetProperty("tasks").EnumerateArray()
            .Select(t => (t.GetProperty("task").GetString(), t.GetProperty("status").GetString())).ToList();
        statuses.Should().Contain(("Render the app config", "would_change"));
        statuses.Should().Contain(("Mark as built", "would_change"));
    }

    [Fact]
    public async Task Check_AfterAHandEdit_ExitsTwoNamingTheDriftWithADiff()
    {
        (await ws.RunAsync("apply", "site.yml")).ExpectExit(0);
        (await ws.RunAsync("check", "site.yml")).ExpectExit(0);

        File.WriteAllText(ws.Path("managed/etc/app.conf"), "name=demo\nport=9999\nuser=alice\nuser=bob\n");
        var drift = await ws.RunAsync("check", "site.yml", "--diff", "--json", "-");
        drift.ExpectExit(2);
        drift.Error.Should().Contain("would change: [localhost]");
        drift.Error.Should().Contain("-port=9999").And.Contain("+port=8080");
        using var report = JsonDocument.Parse(drift.Out);
        var changed = report.RootElement.GetProperty("tasks").EnumerateArray()
            .Where(t => t.GetProperty("status").GetString() == "would_change").ToList();
        changed.Should().ContainSingle().Which.GetProperty("task").GetString().Should().Be("Render the app config");
        changed[0].GetProperty("changes")[0].GetProperty("resource").GetString().Should().Contain("managed/etc/app.conf");
        changed[0].GetProperty("changes")[0].GetProperty("diff").GetString().Should().Contain("+port=8080");

        (await ws.RunAsync("apply", "site.yml")).ExpectExit(0);
        (await ws.RunAsync("check", "site.yml")).ExpectExit(0);
    }

    [Fact]
    public async Task Apply_BrokenPlaybook_ExitsFourWithEveryErrorAndTouchesNothing()
    {
        ws.Write("broken.yml", """
            - hosts: localhost
              gather_facts: no
              tasks:
                - file: {path: "{{ playbook_dir }}/created", state: directory}
                - fiel: {path: /tmp/x}
                - copy: {dest: /tmp/x, content: a, src: b}
                - file: {path: /tmp/x, mode: 0644}
            """);
        var result = await ws.RunAsync("apply", "broken.yml");
        result.ExpectExit(4);
        result.Error.Should().Contain("broken.yml(5,7): error SF0004: unknown module 'fiel'; did you mean 'file'?");
        result.Error.Should().Contain("broken.yml(6,7): error SF0009");
        result.Error.Should().Contain("broken.yml(7,34): error SF0010");
        result.Error.Should().Contain("3 error(s); nothing was run.");
        ws.Exists("created").Should().BeFalse();
    }

    [Fact]
    public async Task Apply_UndefinedVariable_FailsTheTaskNamingVariableTaskFileAndLine()
    {
        ws.Write("undefined.yml", """
            - hosts: localhost
              gather_facts: no
              tasks:
                - name: Uses a typo
                  file: {path: "{{ playbook_dir }}/{{ dirr }}", state: directory}
            """);
        var result = await ws.RunAsync("apply", "undefined.yml");
        result.ExpectExit(1);
        result.Out.Should().Contain("undefined.yml(4,7): undefined variable 'dirr' in task 'Uses a typo'");
    }

    [Fact]
    public async Task Validate_GoodPlaybook_ExitsZeroAndRunsNothing()
    {
        var result = await ws.RunAsync("validate", "site.yml");
        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Contain("site.yml: valid (1 play(s), 6 task(s))");
        ws.Exists("managed").Should().BeFalse();
    }

    [Fact]
    public async Task Doc_ListsModulesAndDescribesOne()
    {
        var list = await ws.RunAsync("doc");
        list.ExpectExit(0);
        list.Out.Should().Contain("lineinfile").And.Contain("ansible.builtin.lineinfile");
        var one = await ws.RunAsync("doc", "ansible.builtin.file");
        one.Out.Should().Contain("path").And.Contain("Examples");
        var unknown = await ws.RunAsync("doc", "lineinfle");
        unknown.ExpectExit(4);
        unknown.Error.Should().Contain("did you mean 'lineinfile'?");
    }

    [Fact]
    public async Task Apply_TagsAndLimit_SelectTasksAndHosts()
    {
        ws.Write("tags.yml", """
            - hosts: localhost
              gather_facts: no
              tasks:
                - file: {path: "{{ playbook_dir }}/a", state: directory}
                  tags: [a]
                - file: {path: "{{ playbook_dir }}/b", state: directory}
                  tags: [b]
            """);
        (await ws.RunAsync("apply", "tags.yml", "-t", "b")).ExpectExit(0);
        ws.Exists("a").Should().BeFalse();
        ws.Exists("b").Should().BeTrue();
        var none = await ws.RunAsync("apply", "tags.yml", "-l", "nothing-matches");
        none.Out.Should().Contain("no hosts matched");
        ws.Exists("a").Should().BeFalse();
    }
}
