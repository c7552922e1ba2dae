using StateForge.Modules.Host;
using StateForge.Planning;
using StateForge.Tests.Planning;

namespace StateForge.Tests.Modules;

public sealed class FileModuleTests : IDisposable
{
    private const string Hostile = "we'ird \"name\" $(touch PWNED) `touch PWNED`; touch PWNED\nline2";

    private readonly LocalHost host = new();
    private readonly FileModule module = new();

    public void Dispose() => host.Dispose();

    private string HostileName => Hostile.Replace("PWNED", host.Pwned, StringComparison.Ordinal);

    [Fact]
    public async Task Directory_Missing_CreatesParentsWithOwnerGroupAndMode()
    {
        var path = host.Path("a/b/c");
        var p = new FileParams { Path = path, State = "directory", Owner = "nobody", Group = "nogroup", Mode = "0750" };

        var plan = await host.PlanAsync(module, p);
        host.Facts.Batches.Should().Be(1, "every probe is listed up front and fetched in one batch");
        plan.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        plan.Changes[0].Diff.Should().Contain("-state: absent").And.Contain("+state: directory").And.Contain("+mode: 0750");
        await host.ApplyAsync(module, p, plan);

        foreach (var dir in new[] { "a", "a/b", "a/b/c" })
        {
            (await host.StatAsync(host.Path(dir), "%F %U:%G:%a")).Should().Be("directory nobody:nogroup:750");
        }

        host.Refresh();
        (await host.PlanAsync(module, p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Directory_Existing_ChangesOnlyMode()
    {
        Directory.CreateDirectory(host.Path("d"));
        await host.ShAsync($"chmod 2775 {host.Path("d")}");
        var p = new FileParams { Path = host.Path("d"), State = "directory", Mode = "0755" };

        var plan = await host.RunAsync(module, p);

        plan.Changes.Should().ContainSingle().Which.Diff.Should().Contain("-mode: 2775").And.Contain("+mode: 0755");
        (await host.StatAsync(host.Path("d"), "%a")).Should().Be("755", "a five-digit chmod clears a directory's setgid bit");
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Directory_OverAFile_Fails()
    {
        await File.WriteAllTextAsync(host.Path("f"), "x");

        var plan = await host.PlanAsync(module, new FileParams { Path = host.Path("f"), State = "directory" });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be($"{host.Path("f")} already exists as a file");
    }

    [Fact]
    public async Task Directory_CheckMode_FileInsidePlansCreateAgainstSimulatedDirectory()
    {
        var dir = host.Path("new/dir");

        var first = await host.PlanAsync(module, new FileParams { Path = dir, State = "directory" }, checkMode: true);
        var second = await host.PlanAsync(module, new FileParams { Path = dir + "/marker", State = "touch" }, checkMode: true);
        var third = await host.PlanAsync(module, new FileParams { Path = dir + "/marker", State = "file", Mode = "0600" }, checkMode: true);

        first.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        second.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        third.Failed.Should().BeFalse("the touched file exists in the simulated state");
        third.Changes.Should().ContainSingle().Which.Diff.Should().Contain("+mode: 0600");
        Directory.Exists(host.Path("new")).Should().BeFalse("check mode runs nothing");
    }

    [Fact]
    public async Task File_Absent_FailsLikeAnsible()
    {
        var plan = await host.PlanAsync(module, new FileParams { Path = host.Path("nope"), Mode = "0644" });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be($"file ({host.Path("nope")}) is absent, cannot continue");
    }

    [Fact]
    public async Task File_SymbolicMode_ResolvesAgainstCurrentMode()
    {
        var path = host.Path("f");
        await File.WriteAllTextAsync(path, "x");
        await host.ShAsync($"chmod 0644 {path}");
        var p = new FileParams { Path = path, Mode = "u+x,g-r,o=" };

        var plan = await host.RunAsync(module, p);

        plan.Changes.Should().ContainSingle().Which.Diff.Should().Contain("-mode: 0644").And.Contain("+mode: 0700");
        (await host.StatAsync(path, "%a")).Should().Be("700");
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task File_NumericOwner_IsComparedByName()
    {
        var path = host.Path("f");
        await File.WriteAllTextAsync(path, "x");
        var p = new FileParams { Path = path, Owner = "65534", Group = "65534" };

        (await host.RunAsync(module, p)).Changed.Should().BeTrue();
        (await host.StatAsync(path)).Should().StartWith("nobody:nogroup:");

        var again = await host.RunAsync(module, p);
        again.Changed.Should().BeFalse();
        host.Facts.Batches.Should().Be(1);
    }

    [Fact]
    public async Task File_OnSymlink_FollowsToTarget()
    {
        var target = host.Path("target");
        await File.WriteAllTextAsync(target, "x");
        File.CreateSymbolicLink(host.Path("link"), "target");

        var plan = await host.RunAsync(module, new FileParams { Path = host.Path("link"), Owner = "nobody" });

        plan.Changed.Should().BeTrue();
        plan.Result["dest"].Should().Be(host.Path("link"));
        plan.Changes[0].Diff.Should().Contain("before: " + target);
        (await host.StatAsync(target, "%U")).Should().Be("nobody");
    }

    [Fact]
    public async Task Absent_Directory_RemovesRecursively()
    {
        Directory.CreateDirectory(host.Path("tree/sub"));
        await File.WriteAllTextAsync(host.Path("tree/sub/f"), "x");
        var p = new FileParams { Path = host.Path("tree"), State = "absent" };

        var plan = await host.RunAsync(module, p);

        plan.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Delete);
        plan.Changes[0].Diff.Should().Contain("-state: directory").And.Contain("+state: absent");
        Directory.Exists(host.Path("tree")).Should().BeFalse();
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Touch_Missing_CreatesThenAlwaysChangesUnlessPreserved()
    {
        var path = host.Path("t");
        var p = new FileParams { Path = path, State = "touch", Mode = "u=rw,g=r,o=" };

        (await host.RunAsync(module, p)).Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        (await host.StatAsync(path, "%F %a")).Should().Be("regular empty file 640");

        (await host.RunAsync(module, p)).Changed.Should().BeTrue("touch updates the times");
        (await host.RunAsync(module, p with { ModificationTime = "preserve", AccessTime = "preserve" })).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Link_CreateRelinkAndIdempotence()
    {
        await File.WriteAllTextAsync(host.Path("v1"), "1");
        await File.WriteAllTextAsync(host.Path("v2"), "2");
        var p = new FileParams { Path = host.Path("current"), Src = "v1", State = "link" };

        (await host.RunAsync(module, p)).Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        (await host.ShAsync($"readlink {host.Path("current")}")).Should().Be("v1");
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();

        var relink = await host.RunAsync(module, p with { Src = "v2" });
        relink.Changes.Should().ContainSingle().Which.Diff.Should().Contain("-src: v1").And.Contain("+src: v2");
        (await host.ShAsync($"readlink {host.Path("current")}")).Should().Be("v2");
    }

    [Fact]
    public async Task Link_OverAFile_RefusesWithoutForce()
    {
        await File.WriteAllTextAsync(host.Path("v1"), "1");
        await File.WriteAllTextAsync(host.Path("plain"), "x");
        var p = new FileParams { Path = host.Path("plain"), Src = "v1", State = "link" };

        var refused = await host.RunAsync(module, p);
        refused.Failed.Should().BeTrue();
        refused.Message.Should().Be($"refusing to convert from file to symlink for {host.Path("plain")}");

        (await host.RunAsync(module, p with { Force = true })).Changed.Should().BeTrue();
        (await host.ShAsync($"readlink {host.Path("plain")}")).Should().Be("v1");
    }

    [Fact]
    public async Task Link_MissingSource_NeedsForce()
    {
        var p = new FileParams { Path = host.Path("dangling"), Src = "later", State = "link" };

        (await host.RunAsync(module, p)).Message.Should().StartWith("src file does not exist, use \"force=yes\"");
        (await host.RunAsync(module, p with { Force = true })).Changed.Should().BeTrue();
        (await host.RunAsync(module, p with { Force = true })).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Link_FollowFalse_ChownsTheLinkItself()
    {
        await File.WriteAllTextAsync(host.Path("v1"), "1");
        var p = new FileParams { Path = host.Path("l"), Src = "v1", State = "link", Owner = "nobody", Follow = false };

        await host.RunAsync(module, p);

        (await host.StatAsync(host.Path("l"), "%U")).Should().Be("nobody");
        (await host.StatAsync(host.Path("v1"), "%U")).Should().Be("root");
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Hard_CreatesSameInodeAndIsIdempotent()
    {
        await File.WriteAllTextAsync(host.Path("orig"), "x");
        var p = new FileParams { Path = host.Path("hard"), Src = host.Path("orig"), State = "hard" };

        (await host.RunAsync(module, p)).Changed.Should().BeTrue();
        (await host.StatAsync(host.Path("hard"), "%i")).Should().Be(await host.StatAsync(host.Path("orig"), "%i"));
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();

        await File.WriteAllTextAsync(host.Path("other"), "y");
        var refused = await host.RunAsync(module, p with { Path = host.Path("other") });
        refused.Message.Should().Be("Cannot link, file exists at destination");
    }

    [Fact]
    public async Task Recurse_SetsOwnerAndModeBelowAndIsIdempotent()
    {
        Directory.CreateDirectory(host.Path("r/sub"));
        await File.WriteAllTextAsync(host.Path("r/sub/f"), "x");
        await File.WriteAllTextAsync(host.Path("r/g"), "x");
        await host.ShAsync($"chmod 0600 {host.Path("r/g")}; chmod 0700 {host.Path("r/sub")}");
        var p = new FileParams { Path = host.Path("r"), State = "directory", Recurse = true, Owner = "nobody", Mode = "u=rwX,g=rX,o=" };

        var plan = await host.RunAsync(module, p);

        plan.Changes.Should().ContainSingle().Which.Diff.Should().Contain("path(s) below");
        (await host.StatAsync(host.Path("r/sub"), "%U %a")).Should().Be("nobody 750");
        (await host.StatAsync(host.Path("r/sub/f"), "%U %a")).Should().Be("nobody 640");
        (await host.StatAsync(host.Path("r/g"), "%U %a")).Should().Be("nobody 640");
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task HostilePath_IsCreatedLiterallyAndRunsNothing()
    {
        var dir = host.Path(HostileName);
        var p = new FileParams { Path = dir + "/" + HostileName, State = "directory", Owner = "nobody" };

        var plan = await host.RunAsync(module, p);

        plan.Failed.Should().BeFalse(plan.Message);
        Directory.Exists(dir + "/" + HostileName).Should().BeTrue();
        File.Exists(host.Pwned).Should().BeFalse();
        (await host.RunAsync(module, p)).Changed.Should().BeFalse();

        await host.RunAsync(module, new FileParams { Path = dir + "/t " + HostileName, State = "touch" });
        await host.RunAsync(module, new FileParams { Path = dir + "/l", Src = HostileName, State = "link" });
        (await host.RunAsync(module, new FileParams { Path = dir, State = "absent" })).Changed.Should().BeTrue();
        Directory.Exists(dir).Should().BeFalse();
        File.Exists(host.Pwned).Should().BeFalse();
    }

    [Fact]
    public void Validate_CrossFieldRules()
    {
        module.Validate(new FileParams { Path = "/x", State = "link" }).Should().Contain("src is required with state link");
        module.Validate(new FileParams { Path = "/x", State = "file", Recurse = true }).Should().Contain("recurse option requires state to be 'directory'");
        module.Validate(new FileParams { Path = "/x", State = "absent", Src = "/y" }).Should().Contain("src option requires state to be 'link' or 'hard'");
        module.Validate(new FileParams { Path = "/x", Mode = "rwx" }).Should().ContainSingle().Which.Should().StartWith("mode must be in octal or symbolic form");
        module.Validate(new FileParams { Path = "/x", Mode = "0644" }).Should().BeEmpty();
    }

    [Fact]
    public void Docs_DescribeEveryParameterAndExamplesUseThem() => ModuleDocs.AssertConsistent(module);
}
