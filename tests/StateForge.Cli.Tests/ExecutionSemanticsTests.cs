using System.Text.Json;

namespace StateForge.Cli.Tests;

/// <summary>The playbook language's run-time semantics, on the local machine.</summary>
public sealed class ExecutionSemanticsTests : IDisposable
{
    private readonly Workspace ws = new();

    public void Dispose() => ws.Dispose();

    private async Task<(CliRunner.Result Run, JsonElement Report)> ApplyAsync(string playbook, params string[] extra)
    {
        ws.Write("p.yml", playbook);
        var run = await ws.RunAsync(["apply", "p.yml", "--json", "r.json", .. extra]);
        using var doc = JsonDocument.Parse(ws.Read("r.json"));
        return (run, doc.RootElement.Clone());
    }

    private static List<(string Task, string Status)> Statuses(JsonElement report) =>
        [.. report.GetProperty("tasks").EnumerateArray().Select(t => (t.GetProperty("task").GetString()!, t.GetProperty("status").GetString()!))];

    [Fact]
    public async Task Registered_Loop_SetFact_And_When_FlowBetweenTasks()
    {
        var (run, report) = await ApplyAsync("""
            - hosts: localhost
              gather_facts: no
              vars: {names: [a, b, c]}
              tasks:
                - name: make
                  file: {path: "{{ playbook_dir }}/d-{{ item }}", state: directory}
                  loop: "{{ names }}"
                  register: made
                - name: count
                  set_fact: {made_count: "{{ made.results | length }}", changed_any: "{{ made.changed }}"}
                - name: check
                  assert:
                    that:
                      - made_count | int == 3
                      - changed_any | bool
                      - made.results[1].item == 'b'
                - name: skipped
                  debug: {msg: never}
                  when: made_count | int > 3
            """);
        run.ExitCode.Should().Be(0, run.Out + run.Error);
        Statuses(report).Should().Equal(("make", "changed"), ("count", "ok"), ("check", "ok"), ("skipped", "skipped"));
        ws.Exists("d-c").Should().BeTrue();
    }

    [Fact]
    public async Task BlockRescueAlways_RescuesAFailure_AndRunsAlways()
    {
        var (run, report) = await ApplyAsync("""
            - hosts: localhost
              gather_facts: no
              tasks:
                - block:
                    - name: boom
                      command: {argv: ["false"]}
                    - name: not reached
                      file: {path: "{{ playbook_dir }}/never", state: directory}
                  rescue:
                    - name: rescue
                      file: {path: "{{ playbook_dir }}/rescued", state: directory}
                  always:
                    - name: always
                      file: {path: "{{ playbook_dir }}/always", state: directory}
                - name: after
                  debug: {msg: after}
            """);
        run.ExitCode.Should().Be(1, "the rescued failure still counts as failed in the recap, as in Ansible");
        Statuses(report).Select(s => s.Task).Should().Equal("boom", "rescue", "always", "after");
        ws.Exists("never").Should().BeFalse();
        ws.Exists("rescued").Should().BeTrue();
        ws.Exists("always").Should().BeTrue();
    }

    [Fact]
    public async Task ChangedWhen_FailedWhen_IgnoreErrors_And_Until()
    {
        ws.Write("count.sh", "n=$(cat \"$1\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$1\"; echo $n\n");
        var (run, report) = await ApplyAsync("""
            - hosts: localhost
              gather_facts: no
              tasks:
                - name: quiet
                  command: {argv: ["true"]}
                  changed_when: false
                - name: tolerated
                  command: {argv: ["false"]}
                  ignore_errors: true
                - name: judged
                  command: {argv: [echo, "all good"]}
                  failed_when: "'bad' in judged_out.stdout"
                  register: judged_out
                - name: retried
                  command: {argv: [sh, "{{ playbook_dir }}/count.sh", "{{ playbook_dir }}/n"]}
                  register: r
                  until: r.stdout | int >= 3
                  retries: 5
                  delay: 0
            """);
        run.ExitCode.Should().Be(0, run.Out + run.Error);
        Statuses(report).Should().Equal(("quiet", "ok"), ("tolerated", "failed"), ("judged", "changed"), ("retried", "changed"));
        report.GetProperty("hosts").GetProperty("localhost").GetProperty("ignored").GetInt32().Should().Be(1);
        ws.Read("n").Trim().Should().Be("3");
    }

    [Fact]
    public async Task Handlers_RunOnceAtTheEnd_InDefinitionOrder_AndOnFlush()
    {
        var (run, report) = await ApplyAsync("""
            - hosts: localhost
              gather_facts: no
              tasks:
                - name: one
                  file: {path: "{{ playbook_dir }}/one", state: directory}
                  notify: [second, first]
                - name: two
                  file: {path: "{{ playbook_dir }}/two", state: directory}
                  notify: second
                - meta: flush_handlers
                - name: three
                  file: {path: "{{ playbook_dir }}/three", state: directory}
                  notify: by topic
              handlers:
                - name: first
                  debug: {msg: first}
                - name: second
                  debug: {msg: second}
                - name: third
                  debug: {msg: third}
                  listen: by topic
            """);
        run.ExitCode.Should().Be(0, run.Out + run.Error);
        Statuses(report).Select(s => s.Task).Should().Equal("one", "two", "first", "second", "three", "third");
    }

    [Fact]
    public async Task IncludeTasks_WithLoop_RunsTheFilePerItem()
    {
        ws.Write("inc.yml", "- name: inner\n  file: {path: \"{{ playbook_dir }}/inc-{{ item }}\", state: directory}\n");
        var (run, _) = await ApplyAsync("""
            - hosts: localhost
              gather_facts: no
              tasks:
                - include_tasks: inc.yml
                  loop: [x, y]
            """);
        run.ExitCode.Should().Be(0, run.Out + run.Error);
        ws.Exists("inc-x").Should().BeTrue();
        ws.Exists("inc-y").Should().BeTrue();
    }

    [Fact]
    public async Task Apply_ConsecutiveChanges_RunAsOneRemoteCommand()
    {
        var (run, report) = await ApplyAsync("""
            - hosts: localhost
              gather_facts: no
              tasks:
                - file: {path: "{{ playbook_dir }}/b1", state: directory}
                - copy: {dest: "{{ playbook_dir }}/b1/f", content: "x\n"}
                - lineinfile: {path: "{{ playbook_dir }}/b1/g", line: "y", create: true}
                - file: {path: "{{ playbook_dir }}/b1/h", state: touch}
            """);
        run.ExitCode.Should().Be(0, run.Out + run.Error);
        var commands = report.GetProperty("hosts").GetProperty("localhost").GetProperty("remote_commands").GetInt32();
        commands.Should().Be(3, "one batch of facts, one batch of changes, one to release the run lock");
        ws.Read("b1/f").Should().Be("x\n");
    }

    [Fact]
    public async Task ExtraVars_BeatPlayVars()
    {
        var (run, _) = await ApplyAsync("""
            - hosts: localhost
              gather_facts: no
              vars: {name: play}
              tasks:
                - assert: {that: ["name == 'extra'"]}
            """, "-e", "name=extra");
        run.ExitCode.Should().Be(0, run.Out + run.Error);
    }

    [Fact]
    public async Task NoLog_HidesValuesInOutputAndReport()
    {
        var (run, report) = await ApplyAsync("""
            - hosts: localhost
              gather_facts: no
              tasks:
                - name: secret file
                  copy: {dest: "{{ playbook_dir }}/s", content: "hunter2-secret\n"}
                  no_log: true
            """, "--diff");
        run.ExpectExit(0);
        run.Out.Should().NotContain("hunter2");
        report.ToString().Should().NotContain("hunter2");
    }
}
