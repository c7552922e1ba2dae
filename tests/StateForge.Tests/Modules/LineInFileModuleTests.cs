using StateForge.Modules.Host;
using StateForge.Planning;
using StateForge.Tests.Planning;

namespace StateForge.Tests.Modules;

public sealed class LineInFileModuleTests : IDisposable
{
    private readonly LocalHost host = new();
    private readonly LineInFileModule module = new();

    public void Dispose() => host.Dispose();

    private static string Edit(string text, LineInFileParams p) =>
        (p.State == "absent" ? LineEdit.Absent(text, p) : LineEdit.Present(text, p)).Text;

    [Theory]
    [InlineData("a=1\nSELINUX=permissive\nb=2\nSELINUX=disabled\n", false, "a=1\nSELINUX=permissive\nb=2\nSELINUX=enforcing\n")]
    [InlineData("a=1\nSELINUX=permissive\nb=2\nSELINUX=disabled\n", true, "a=1\nSELINUX=enforcing\nb=2\nSELINUX=disabled\n")]
    [InlineData("a=1\n", false, "a=1\nSELINUX=enforcing\n")]
    [InlineData("a=1", false, "a=1\nSELINUX=enforcing\n")]
    [InlineData("", false, "SELINUX=enforcing\n")]
    public void Present_Regexp_ReplacesLastMatchOrAppends(string text, bool firstmatch, string expected) =>
        Edit(text, new LineInFileParams { Regexp = "^SELINUX=", Line = "SELINUX=enforcing", Firstmatch = firstmatch }).Should().Be(expected);

    [Theory]
    [InlineData("#Listen 80\nx\n#Listen 81\ny\n", "^#Listen ", null, false, "#Listen 80\nx\n#Listen 81\nListen 8080\ny\n")]
    [InlineData("#Listen 80\nx\n#Listen 81\ny\n", "^#Listen ", null, true, "#Listen 80\nListen 8080\nx\n#Listen 81\ny\n")]
    [InlineData("#Listen 80\nx\n#Listen 81\ny\n", null, "^#Listen ", false, "#Listen 80\nx\nListen 8080\n#Listen 81\ny\n")]
    [InlineData("#Listen 80\nx\n", null, "BOF", false, "Listen 8080\n#Listen 80\nx\n")]
    [InlineData("x\n", "^nothing", null, false, "x\nListen 8080\n")]
    [InlineData("x\n", null, "^nothing", false, "x\nListen 8080\n")]
    [InlineData("#Listen 80", "^#Listen ", null, false, "#Listen 80\nListen 8080\n")]
    public void Present_NoRegexpMatch_InsertsPerInsertafterOrInsertbefore(string text, string? after, string? before, bool firstmatch, string expected) =>
        Edit(text, new LineInFileParams { Regexp = "^Listen ", Line = "Listen 8080", Insertafter = after, Insertbefore = before, Firstmatch = firstmatch })
            .Should().Be(expected);

    [Fact]
    public void Present_ExactLineAnywhere_IsUnchanged()
    {
        var p = new LineInFileParams { Line = "keep me", Insertafter = "^first" };

        LineEdit.Present("first\nother\nkeep me\n", p).Changed.Should().BeFalse();
        LineEdit.Present("first\nkeep me\r\n", p).Text.Should().Be("first\nkeep me\n", "as in Ansible, the found line is rewritten with \\n");
    }

    [Fact]
    public void Present_Backrefs_ExpandGroupsAndLeaveFileAloneWithoutMatch()
    {
        var p = new LineInFileParams { Regexp = @"^(.*)Xms(\d+)m(.*)$", Line = @"\1Xms2048m\3", Backrefs = true };

        Edit("JAVA_OPTS=\"-Xms512m -Xmx1g\"\n", p).Should().Be("JAVA_OPTS=\"-Xms2048m -Xmx1g\"\n");
        LineEdit.Present("nothing here\n", p).Changed.Should().BeFalse("backrefs never insert");
        Edit("host=old\n", new LineInFileParams { Regexp = "^(?P<key>host=).*", Line = @"\g<key>new \g<1>", Backrefs = true })
            .Should().Be("host=new host=\n");
    }

    [Fact]
    public void Present_SearchString_IsLiteral() =>
        Edit("127.0.0.1 old\n1270001 x\n", new LineInFileParams { SearchString = "127.0.0.1", Line = "127.0.0.1 localhost" })
            .Should().Be("127.0.0.1 localhost\n1270001 x\n");

    [Fact]
    public void Absent_RemovesEveryMatch()
    {
        var outcome = LineEdit.Absent("%wheel a\nroot b\n%wheel c\n", new LineInFileParams { State = "absent", Regexp = "^%wheel" });

        outcome.Text.Should().Be("root b\n");
        outcome.Message.Should().Be("2 line(s) removed");
        outcome.Found.Should().Be(2);
        Edit("a\nb\na\n", new LineInFileParams { State = "absent", Line = "a" }).Should().Be("b\n");
    }

    [Fact]
    public async Task Plan_Replace_ShowsDiffWritesAndIsIdempotent()
    {
        var path = host.Path("config");
        await File.WriteAllTextAsync(path, "SELINUX=permissive\nSELINUXTYPE=targeted\n");
        await host.ShAsync($"chown nobody:nogroup {path}; chmod 0600 {path}");
        var p = new LineInFileParams { Path = path, Regexp = "^SELINUX=", Line = "SELINUX=enforcing" };

        var plan = await host.RunAsync(module, p);

        plan.Changes.Should().ContainSingle().Which.Diff.Should().Be(
            $"--- before: {path}\n+++ after: {path}\n@@ -1,2 +1,2 @@\n-SELINUX=permissive\n+SELINUX=enforcing\n SELINUXTYPE=targeted\n");
        plan.Result["msg"].Should().Be("line replaced");
        (await File.ReadAllTextAsync(path)).Should().Be("SELINUX=enforcing\nSELINUXTYPE=targeted\n");
        (await host.StatAsync(path)).Should().Be("nobody:nogroup:600");
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Plan_MissingFile_FailsUnlessCreate()
    {
        var path = host.Path("sub/new.conf");
        var p = new LineInFileParams { Path = path, Line = "x=1" };

        var refused = await host.RunAsync(module, p);
        refused.Failed.Should().BeTrue();
        refused.Message.Should().Be($"Destination {path} does not exist !");

        var created = await host.RunAsync(module, p with { Create = true, Mode = "0640", Owner = "nobody" });
        created.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        (await File.ReadAllTextAsync(path)).Should().Be("x=1\n");
        (await host.StatAsync(path)).Should().Be("nobody:root:640");
        (await host.RunAsync(module, p with { Create = true, Mode = "0640", Owner = "nobody" })).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Plan_Absent_MissingFileIsOk()
    {
        var plan = await host.RunAsync(module, new LineInFileParams { Path = host.Path("nope"), State = "absent", Line = "x" });

        plan.Changed.Should().BeFalse();
        plan.Result["msg"].Should().Be("file not present");
    }

    [Fact]
    public async Task Plan_AttributesOnly_SaysSo()
    {
        var path = host.Path("f");
        await File.WriteAllTextAsync(path, "x\n");

        var plan = await host.RunAsync(module, new LineInFileParams { Path = path, Line = "x", Mode = "0600" });

        plan.Result["msg"].Should().Be("ownership, perms or SE linux context changed");
        (await host.StatAsync(path, "%a")).Should().Be("600");
    }

    [Fact]
    public async Task Plan_Backup_RegistersTheCopy()
    {
        var path = host.Path("hosts");
        await File.WriteAllTextAsync(path, "old\n");

        var plan = await host.RunAsync(module, new LineInFileParams { Path = path, Line = "new", Backup = true });

        var backup = plan.Result["backup"].Should().BeOfType<string>().Subject;
        backup.Should().StartWith(path + ".");
        (await File.ReadAllTextAsync(backup)).Should().Be("old\n");
        (await File.ReadAllTextAsync(path)).Should().Be("old\nnew\n");
    }

    [Fact]
    public async Task Plan_Symlink_EditsTargetKeepsLink()
    {
        await File.WriteAllTextAsync(host.Path("real"), "a\n");
        File.CreateSymbolicLink(host.Path("link"), "real");

        await host.RunAsync(module, new LineInFileParams { Path = host.Path("link"), Line = "b" });

        (await File.ReadAllTextAsync(host.Path("real"))).Should().Be("a\nb\n");
        new FileInfo(host.Path("link")).LinkTarget.Should().Be("real");
    }

    [Fact]
    public async Task Plan_Directory_Fails()
    {
        var plan = await host.PlanAsync(module, new LineInFileParams { Path = host.Root, Line = "x" });

        plan.Message.Should().Be($"Path {host.Root} is a directory !");
    }

    [Fact]
    public async Task Plan_CheckMode_SeesFileCreatedByEarlierTask()
    {
        var path = host.Path("later.conf");
        await host.PlanAsync(module, new LineInFileParams { Path = path, Line = "one", Create = true }, checkMode: true);

        var second = await host.PlanAsync(module, new LineInFileParams { Path = path, Line = "two" }, checkMode: true);

        second.Failed.Should().BeFalse(second.Message);
        second.Changes.Should().ContainSingle().Which.Diff.Should().Contain(" one\n+two\n");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public async Task Plan_HostileLineAndPath_AreWrittenLiterally()
    {
        var dir = host.Path("it's $(touch " + host.Pwned + ") `x`; d");
        Directory.CreateDirectory(dir);
        var path = dir + "/f \"q\"\nnl";
        var line = $"echo '$(touch {host.Pwned})' \"`touch {host.Pwned}`\"; touch {host.Pwned} \\1 $HOME";

        var plan = await host.RunAsync(module, new LineInFileParams { Path = path, Line = line, Create = true, Backup = true });
        var second = await host.RunAsync(module, new LineInFileParams { Path = path, Regexp = "^echo", Line = line + "!", Backup = true });
        second.Failed.Should().BeFalse(second.Message);

        plan.Failed.Should().BeFalse(plan.Message);
        (await File.ReadAllTextAsync(path)).Should().Be(line + "!\n");
        File.Exists(host.Pwned).Should().BeFalse();
    }

    [Fact]
    public void Validate_Rules()
    {
        module.Validate(new LineInFileParams { Path = "/x" }).Should().Contain("line is required with state=present");
        module.Validate(new LineInFileParams { Path = "/x", Line = "a", Backrefs = true }).Should().Contain("regexp is required with backrefs=true");
        module.Validate(new LineInFileParams { Path = "/x", State = "absent" }).Should().Contain("one of line, search_string, or regexp is required with state=absent");
        module.Validate(new LineInFileParams { Path = "/x", Line = "a", Regexp = "(" }).Should().ContainSingle().Which.Should().StartWith("regexp is not a valid regular expression");
        module.Validate(new LineInFileParams { Path = "/x", Line = "a", Insertafter = "EOF", Insertbefore = "BOF" }).Should().Contain("insertafter and insertbefore are mutually exclusive");
        module.Validate(new LineInFileParams { Path = "/x", Line = "a", Insertafter = "EOF" }).Should().BeEmpty();
    }

    [Fact]
    public void Docs_DescribeEveryParameterAndExamplesUseThem() => ModuleDocs.AssertConsistent(module);
}
