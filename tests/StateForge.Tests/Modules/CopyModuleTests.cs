using System.Text;
using StateForge.Modules.Host;
using StateForge.Planning;
using StateForge.Tests.Planning;

namespace StateForge.Tests.Modules;

public sealed class CopyModuleTests : IDisposable
{
    private readonly LocalHost host = new();
    private readonly CopyModule module = new();

    public void Dispose() => host.Dispose();

    private string Hostile => $"it's \"quoted\" $(touch {host.Pwned}) `touch {host.Pwned}`; touch {host.Pwned} \\ $HOME\n";

    [Fact]
    public async Task Content_NewFile_IsCreatedWithOwnerAndModeThenIdempotent()
    {
        var dest = host.Path("app.conf");
        var p = new CopyParams { Content = "a=1\nb=2\n", Dest = dest, Owner = "nobody", Group = "nogroup", Mode = "0640" };

        var plan = await host.PlanAsync(module, p);
        host.Facts.Batches.Should().Be(1);
        plan.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        plan.Changes[0].Diff.Should().Contain("@@ -0,0 +1,2 @@\n+a=1\n+b=2\n");
        var applied = await host.ApplyAsync(module, p, plan);

        applied.Failed.Should().BeFalse(applied.Message);
        (await File.ReadAllTextAsync(dest)).Should().Be("a=1\nb=2\n");
        (await host.StatAsync(dest)).Should().Be("nobody:nogroup:640");
        applied.Result["checksum"].Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes("a=1\nb=2\n"))), "checksum is SHA-1 as in Ansible");
        applied.Result["dest"].Should().Be(dest);
        Directory.GetFiles(host.Root, ".app.conf.*").Should().BeEmpty("the temp file was renamed");

        (await host.RunAsync(module, p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Content_Changed_ShowsDiffKeepsAttributesAndBacksUp()
    {
        var dest = host.Path("motd");
        await File.WriteAllTextAsync(dest, "one\ntwo\nthree\n");
        await host.ShAsync($"chown nobody:nogroup {dest}; chmod 0604 {dest}");
        var p = new CopyParams { Content = "one\n2\nthree\n", Dest = dest, Backup = true };

        var plan = await host.RunAsync(module, p);

        plan.Changes.Should().ContainSingle().Which.Diff.Should().StartWith($"--- before: {dest}\n+++ after: {dest}\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n");
        (await File.ReadAllTextAsync(dest)).Should().Be("one\n2\nthree\n");
        (await host.StatAsync(dest)).Should().Be("nobody:nogroup:604", "an existing file keeps its owner and mode");
        var backup = plan.Result["backup_file"].Should().BeOfType<string>().Subject;
        backup.Should().MatchRegex(@"\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$").And.StartWith(dest + ".");
        (await File.ReadAllTextAsync(backup)).Should().Be("one\ntwo\nthree\n");
    }

    [Fact]
    public async Task Content_SameContentOtherMode_ChangesOnlyTheMode()
    {
        var dest = host.Path("f");
        await File.WriteAllTextAsync(dest, "x\n");
        await host.ShAsync($"chmod 0644 {dest}");

        var plan = await host.RunAsync(module, new CopyParams { Content = "x\n", Dest = dest, Mode = "g+w" });

        var diff = plan.Changes.Should().ContainSingle().Subject.Diff;
        diff.Should().Contain("-mode: 0644").And.Contain("+mode: 0664").And.NotContain("\n-x\n", "the content is not part of the change");
        (await host.StatAsync(dest, "%a")).Should().Be("664");
    }

    [Fact]
    public async Task Src_IntoDestEndingInSlash_CreatesDirectoriesWithDirectoryMode()
    {
        Directory.CreateDirectory(host.Path("files"));
        await File.WriteAllBytesAsync(host.Path("files/motd"), Encoding.UTF8.GetBytes("hello\n"));
        var p = new CopyParams { Src = "motd", Dest = host.Path("etc/app/"), DirectoryMode = "0700" };

        var plan = await host.RunAsync(module, p);

        plan.Failed.Should().BeFalse(plan.Message);
        (await File.ReadAllTextAsync(host.Path("etc/app/motd"))).Should().Be("hello\n");
        (await host.StatAsync(host.Path("etc"), "%a")).Should().Be("700");
        (await host.StatAsync(host.Path("etc/app"), "%a")).Should().Be("700");
        plan.Result["src"].Should().Be(host.Path("files/motd"));
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Src_IntoExistingDirectoryOrLinkToIt_GoesInside()
    {
        await File.WriteAllTextAsync(host.Path("payload"), "p\n");
        Directory.CreateDirectory(host.Path("d"));
        File.CreateSymbolicLink(host.Path("via"), "d");

        await host.RunAsync(module, new CopyParams { Src = host.Path("payload"), Dest = host.Path("via") });

        (await File.ReadAllTextAsync(host.Path("d/payload"))).Should().Be("p\n");
        File.ResolveLinkTarget(host.Path("via"), false).Should().NotBeNull("the link is kept");
    }

    [Fact]
    public async Task Content_DirAsDest_Fails()
    {
        Directory.CreateDirectory(host.Path("d"));

        var plan = await host.PlanAsync(module, new CopyParams { Content = "x", Dest = host.Path("d") });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("can not use content with a dir as dest");
    }

    [Fact]
    public async Task ForceFalse_ExistingFile_IsLeftAlone()
    {
        var dest = host.Path("secret");
        await File.WriteAllTextAsync(dest, "old");

        var plan = await host.RunAsync(module, new CopyParams { Content = "new", Dest = dest, Force = false, Mode = "0600" });

        plan.Changed.Should().BeFalse();
        plan.Result["msg"].Should().Be("file already exists");
        (await File.ReadAllTextAsync(dest)).Should().Be("old");
    }

    [Fact]
    public async Task MissingParent_Fails_ButPlansCreateAfterAnEarlierDirectoryTaskInCheckMode()
    {
        var dest = host.Path("later/dir/file");

        var alone = await host.PlanAsync(module, new CopyParams { Content = "x", Dest = dest }, checkMode: true);
        alone.Failed.Should().BeTrue();
        alone.Message.Should().Be($"Destination directory {host.Path("later/dir")} does not exist");

        host.Refresh();
        await host.PlanAsync(new FileModule(), new FileParams { Path = host.Path("later/dir"), State = "directory" }, checkMode: true);
        var after = await host.PlanAsync(module, new CopyParams { Content = "x", Dest = dest }, checkMode: true);

        after.Failed.Should().BeFalse(after.Message);
        after.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        Directory.Exists(host.Path("later")).Should().BeFalse();
    }

    [Fact]
    public async Task CheckMode_CopiedFile_IsSeenByLaterTasks()
    {
        var dest = host.Path("conf");
        await host.PlanAsync(module, new CopyParams { Content = "x\n", Dest = dest }, checkMode: true);

        var again = await host.PlanAsync(module, new CopyParams { Content = "x\n", Dest = dest }, checkMode: true);
        var lines = await host.PlanAsync(new LineInFileModule(), new LineInFileParams { Path = dest, Line = "y" }, checkMode: true);

        again.Changed.Should().BeFalse();
        lines.Changes.Should().ContainSingle().Which.Diff.Should().Contain(" x\n+y\n");
    }

    [Fact]
    public async Task BinaryContent_IsSummarised()
    {
        var dest = host.Path("bin");
        await File.WriteAllBytesAsync(dest, [0, 1, 2]);
        Directory.CreateDirectory(host.Path("files"));
        await File.WriteAllBytesAsync(host.Path("files/blob"), [0, 1, 3]);

        var plan = await host.RunAsync(module, new CopyParams { Src = "blob", Dest = dest });

        plan.Changes[0].Diff.Should().StartWith($"Binary file {dest} differs");
        (await File.ReadAllBytesAsync(dest)).Should().Equal(0, 1, 3);
    }

    [Fact]
    public async Task Src_LargeBinaryWithPreservedMode_IsCopiedExactly()
    {
        var bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(host.Path("blob"), bytes);
        await host.ShAsync($"chmod 0540 {host.Path("blob")}");
        var p = new CopyParams { Src = host.Path("blob"), Dest = host.Path("copy"), Mode = "preserve" };

        var plan = await host.RunAsync(module, p);

        plan.Failed.Should().BeFalse(plan.Message);
        (await File.ReadAllBytesAsync(host.Path("copy"))).Should().Equal(bytes);
        (await host.StatAsync(host.Path("copy"), "%a")).Should().Be("540");
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task HostileContentAndName_AreWrittenLiterally()
    {
        var dest = host.Path("we'ird $(touch " + host.Pwned + ") `x`; name\nwith newline");
        Directory.CreateDirectory(Path.GetDirectoryName(dest)!);

        var plan = await host.RunAsync(module, new CopyParams { Content = Hostile, Dest = dest, Owner = "nobody", Backup = true });
        plan.Failed.Should().BeFalse(plan.Message);
        (await host.RunAsync(module, new CopyParams { Content = Hostile + "more\n", Dest = dest, Backup = true })).Failed.Should().BeFalse();

        (await File.ReadAllTextAsync(dest)).Should().Be(Hostile + "more\n");
        File.Exists(host.Pwned).Should().BeFalse();
    }

    [Fact]
    public async Task Validate_Failing_KeepsOldFileAndRemovesTemp()
    {
        var dest = host.Path("sudoers");
        await File.WriteAllTextAsync(dest, "good\n");

        var plan = await host.RunAsync(module, new CopyParams { Content = "bad\n", Dest = dest, Validate = "grep -q good %s" });
        var ok = await host.RunAsync(module, new CopyParams { Content = "good too\n", Dest = dest, Validate = "grep -q good %s" });

        plan.Failed.Should().BeTrue();
        ok.Failed.Should().BeFalse(ok.Message);
        (await File.ReadAllTextAsync(dest)).Should().Be("good too\n");
        Directory.GetFiles(host.Root, ".sudoers.*").Should().BeEmpty();
    }

    [Fact]
    public void Validate_Rules()
    {
        module.Validate(new CopyParams { Dest = "/x" }).Should().Contain("src (or content) is required");
        module.Validate(new CopyParams { Dest = "/x", Src = "a", Content = "b" }).Should().Contain("src and content are mutually exclusive");
        module.Validate(new CopyParams { Dest = "/x/", Content = "b" }).Should().Contain("can not use content with a dir as dest");
        module.Validate(new CopyParams { Dest = "/x", Content = "b", Validate = "visudo -c" }).Should().Contain("validate must contain %s: visudo -c");
        module.Validate(new CopyParams { Dest = "/x", Content = "b", Mode = "preserve" }).Should().Contain("mode preserve needs src");
    }

    [Fact]
    public void Docs_DescribeEveryParameterAndExamplesUseThem() => ModuleDocs.AssertConsistent(module);
}
