using StateForge.Diagnostics;
using StateForge.Model;
using StateForge.Validation;

namespace StateForge.Tests.Validation;

public sealed class PlaybookLoaderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("sf-pb-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private (Playbook Playbook, List<string> Errors) Load(string text)
    {
        var path = Write("site.yml", text);
        var d = new DiagnosticBag();
        var pb = new PlaybookLoader(TestCatalog.Instance, d).Load(path);
        var prefix = PlaybookLoader.DisplayPath(dir) + Path.DirectorySeparatorChar;
        return (pb, d.Sorted().Select(x => x.ToString().Replace(prefix, "", StringComparison.Ordinal)).ToList());
    }

    // Found by the time-seeded fuzz test: a file that exists but cannot be read was reported at
    // "/proc/self/mem(0,0)" as "not found", not where the playbook names it; and /dev/zero was read until
    // memory ran out.
    [Theory]
    [InlineData("- import_playbook: /proc/self/mem\n", "site.yml(1,20): error SF0134: file '/proc/self/mem' cannot be read")]
    [InlineData("- hosts: all\n  vars_files: [/proc/self/mem]\n  tasks: []\n", "site.yml(2,16): error SF0134: file '/proc/self/mem' cannot be read")]
    [InlineData("- hosts: all\n  tasks:\n    - include_tasks: /proc/self/mem\n", "site.yml(3,22): error SF0134: file '/proc/self/mem' cannot be read")]
    [InlineData("- hosts: all\n  tasks:\n    - include_tasks: /dev/zero\n", "site.yml(3,22): error SF0134: file '/dev/zero' cannot be read: it is larger than 32 MiB")]
    [InlineData("- hosts: all\n  vars_files: [/dev/zero]\n  tasks: []\n", "site.yml(2,16): error SF0134: file '/dev/zero' cannot be read: it is larger than 32 MiB")]
    public void Load_AFileThatExistsButCannotBeRead_IsAnErrorWhereItIsNamed(string text, string expected)
    {
        var (_, errors) = Load(text);
        errors.Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void Load_ValidPlay_BindsTasksToModules()
    {
        var (pb, errors) = Load("""
            - name: p
              hosts: all
              become: yes
              vars: {a: 1}
              tasks:
                - name: t
                  testfile: {path: /x, state: absent, mode: '0644'}
                  when: a == 1
                  register: r
                  tags: [one, two]
                - testfile: path=/y force=yes
                - example.test.testfile: {dest: /z}
            """);
        errors.Should().BeEmpty();
        var play = pb.Plays.Should().ContainSingle().Subject;
        play.Become.Should().BeTrue();
        var tasks = play.Tasks.Cast<TaskDefinition>().ToList();
        tasks.Should().HaveCount(3);
        tasks[0].When.Should().Equal("a == 1");
        tasks[0].Register.Should().Be("r");
        tasks[0].Tags.Should().Equal("one", "two");
        tasks[1].Args.Entries.Select(e => e.Key.Value).Should().Equal("path", "force");
        tasks[2].ModuleName.Should().Be("testfile");
    }

    [Fact]
    public void Load_ManyMistakes_ReportsAllWithPositionsAndSuggestions()
    {
        var (_, errors) = Load("""
            - hosts: all
              taks: []
              tasks:
                - name: misspelt module
                  testfil: {path: /x}
                - name: misspelt parameter
                  testfile: {pth: /x}
                - name: missing required
                  testfile: {state: absent}
                - name: bad choice
                  testfile: {path: /x, state: gone}
                - name: bad type
                  testfile: {path: /x, count: many}
                - name: exclusive
                  testfile: {path: /x, content: a, src: b}
                - name: octal
                  testfile: {path: /x, mode: 0777}
                - name: module rule
                  testfile: {path: relative}
                - name: two modules
                  testfile: {path: /x}
                  testcmd: echo
                - name: no module
                  when: true
            """);
        errors.Should().Equal(
            "site.yml(2,3): error SF0003: unknown play keyword 'taks'; did you mean 'tasks'?",
            "site.yml(5,7): error SF0004: unknown module 'testfil'; did you mean 'testfile'?",
            "site.yml(7,18): error SF0005: module 'testfile' has no parameter 'pth'; did you mean 'path'?",
            "site.yml(9,7): error SF0006: module 'testfile' requires parameter 'path'",
            "site.yml(11,35): error SF0008: testfile.state must be one of present, absent; got 'gone'",
            "site.yml(13,35): error SF0007: testfile.count must be an integer, not a string",
            "site.yml(15,7): error SF0009: module 'testfile': parameters content, src are mutually exclusive",
            "site.yml(17,34): error SF0010: unquoted mode 0777 is read by YAML as the number 511; quote it ('0777') or use a symbolic mode such as 'u=rw,g=r,o=r'",
            "site.yml(19,7): error SF0022: module 'testfile': path must be absolute, got 'relative'",
            "site.yml(22,7): error SF0014: a task may name one module; this one names testfile, testcmd",
            "site.yml(23,7): error SF0015: task names no module (and is not a block, include or role)");
    }

    [Fact]
    public void Load_TemplatedValues_AreNotTypeCheckedYet()
    {
        var (_, errors) = Load("""
            - hosts: all
              tasks:
                - testfile: {path: "{{ p }}", count: "{{ n }}", state: "{{ s }}"}
            """);
        errors.Should().BeEmpty();
    }

    [Fact]
    public void Load_FreeFormModule_TakesTheTextAndKnownKeyValues()
    {
        var (pb, errors) = Load("""
            - hosts: all
              tasks:
                - testcmd: /bin/echo "a b" creates=/tmp/x
            """);
        errors.Should().BeEmpty();
        var args = (IDictionary<string, object?>)((TaskDefinition)pb.Plays[0].Tasks[0]).Args.ToPlain()!;
        args["creates"].Should().Be("/tmp/x");
        args["cmd"].Should().Be("/bin/echo \"a b\"");
    }

    [Fact]
    public void Load_RolesIncludesBlocksAndHandlers_Resolve()
    {
        Write("roles/web/tasks/main.yml", "- testfile: {path: /role}\n- import_tasks: more.yml\n");
        Write("roles/web/tasks/more.yml", "- testfile: {path: /more}\n");
        Write("roles/web/defaults/main.yml", "port: 80\n");
        Write("roles/web/vars/main.yml", "name: web\n");
        Write("roles/web/handlers/main.yml", "- name: restart web\n  testcmd: restart\n");
        Write("inc.yml", "- testfile: {path: /inc}\n");
        var (pb, errors) = Load("""
            - hosts: all
              roles:
                - web
              tasks:
                - block:
                    - testfile: {path: /b}
                      notify: restart web
                  rescue:
                    - include_tasks: inc.yml
                  always:
                    - meta: flush_handlers
            """);
        errors.Should().BeEmpty();
        var play = pb.Plays[0];
        play.RoleDefaults.Should().ContainKey("port");
        PlaybookLoader.Flatten(play.Tasks).Select(t => ((IDictionary<string, object?>)t.Args.ToPlain()!)["path"]).Should().Equal("/role", "/more", "/b", "/inc");
        play.Tasks[0].Role!.Vars.Should().ContainKey("name");
        play.Handlers.Should().ContainSingle().Which.Name.Should().Be("restart web");
    }

    [Fact]
    public void Load_CircularIncludeAndMissingHandler_AreErrors()
    {
        Write("a.yml", "- include_tasks: b.yml\n");
        Write("b.yml", "- include_tasks: a.yml\n");
        var (_, errors) = Load("""
            - hosts: all
              tasks:
                - include_tasks: a.yml
                - testfile: {path: /x}
                  notify: nobody
            """);
        errors.Should().HaveCount(2);
        errors.Should().Contain(e => e.Contains("SF0016") && e.Contains("circular include"));
        errors.Should().Contain(e => e.StartsWith("site.yml(4,7): error SF0023", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingFileAndEmptyPlaybook_AreErrors()
    {
        var d = new DiagnosticBag();
        new PlaybookLoader(TestCatalog.Instance, d).Load(Path.Combine(dir, "nope.yml"));
        d.Should().ContainSingle().Which.Code.Should().Be("SF0011");
        var (_, errors) = Load("# nothing\n");
        errors.Should().ContainSingle().Which.Should().Contain("SF0027");
    }
}
