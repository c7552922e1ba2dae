using StateForge.Modules.Host;
using StateForge.Planning;
using StateForge.Transport;
using StateForge.Tests.Planning;

namespace StateForge.Tests.Modules;

public sealed class CommandModuleTests : IDisposable
{
    private readonly LocalHost host = new();
    private readonly CommandModule module = new();

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task Cmd_Runs_AndRegistersAnsibleResult()
    {
        var plan = await host.RunAsync(module, new CommandParams { Cmd = "echo hi" });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Run);
        plan.NeedsExecution.Should().BeTrue();
        plan.Result["rc"].Should().Be(0L);
        plan.Result["stdout"].Should().Be("hi");
        plan.Result["stdout_lines"].Should().BeEquivalentTo(new[] { "hi" });
        plan.Result["stderr"].Should().Be("");
        plan.Result["stderr_lines"].Should().BeEquivalentTo(Array.Empty<string>());
        plan.Result["cmd"].Should().BeEquivalentTo(new[] { "echo", "hi" });
        plan.Result["start"].Should().BeOfType<string>().Which.Should().MatchRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$");
        plan.Result["delta"].Should().BeOfType<string>().Which.Should().MatchRegex(@"^0:00:\d\d(\.\d{6})?$");
        plan.Result["msg"].Should().Be("");
    }

    [Fact]
    public async Task NonZeroExit_FailsWithTheCommandsStderr()
    {
        var plan = await host.RunAsync(module, new CommandParams { Argv = ["sh", "-c", "echo out; echo oops >&2; exit 3"] });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("oops");
        plan.Result["rc"].Should().Be(3L);
        plan.Result["stdout"].Should().Be("out");
        plan.Result["msg"].Should().Be("non-zero return code");
    }

    [Fact]
    public async Task Cmd_IsSplitLikeShlex_ButNeverRunByAShell()
    {
        var plan = await host.RunAsync(module, new CommandParams { Cmd = $"printf '%s\\n' \"a b\" 'c d' e\\ f ; touch {host.Pwned} | x > y $(touch {host.Pwned})" });

        plan.Result["stdout_lines"].Should().BeEquivalentTo(
            new[] { "a b", "c d", "e f", ";", "touch", host.Pwned, "|", "x", ">", "y", "$(touch", host.Pwned + ")" }, o => o.WithStrictOrdering());
        File.Exists(host.Pwned).Should().BeFalse();
    }

    [Fact]
    public async Task HostileArgv_IsPassedLiterally()
    {
        string[] hostile = [$"$(touch {host.Pwned})", $"`touch {host.Pwned}`", $"a;touch {host.Pwned}", "it's \"q\"", "new\nline", "*", "$HOME", "-n", ""];

        var plan = await host.RunAsync(module, new CommandParams { Argv = ["printf", "[%s]", .. hostile], ExpandArgumentVars = false });

        plan.Result["stdout"].Should().Be(string.Concat(hostile.Select(h => $"[{h}]")));
        File.Exists(host.Pwned).Should().BeFalse();
    }

    [Fact]
    public async Task ShellBuiltins_AreNotRun()
    {
        var plan = await host.RunAsync(module, new CommandParams { Cmd = $"eval 'touch {host.Pwned}'" });

        plan.Failed.Should().BeTrue();
        plan.Result["rc"].Should().Be(127L);
        File.Exists(host.Pwned).Should().BeFalse();
    }

    [Fact]
    public async Task ExpandArgumentVars_UsesTheHostEnvironmentWithoutEvaluating()
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        var args = new[] { "$HOME/x", "${HOME}", "$SF_SURELY_UNSET", "~/y", "a~", $"$(touch {host.Pwned})", "${", "$" };

        var expanded = await host.RunAsync(module, new CommandParams { Argv = ["printf", "[%s]", .. args] });
        var literal = await host.RunAsync(module, new CommandParams { Argv = ["printf", "[%s]", .. args], ExpandArgumentVars = false });

        expanded.Result["stdout"].Should().Be($"[{home}/x][{home}][$SF_SURELY_UNSET][{home}/y][a~][$(touch {host.Pwned})][${{][$]");
        literal.Result["stdout"].Should().Be(string.Concat(args.Select(a => $"[{a}]")));
        File.Exists(host.Pwned).Should().BeFalse();
    }

    [Fact]
    public async Task Creates_Existing_DoesNotRun()
    {
        await File.WriteAllTextAsync(host.Path("done"), "");
        var p = new CommandParams { Argv = ["touch", host.Pwned], Creates = host.Path("done") };

        var plan = await host.RunAsync(module, p);
        var check = await host.PlanAsync(module, p, checkMode: true);

        plan.Changed.Should().BeFalse();
        plan.Steps.Should().BeEmpty();
        plan.Result["msg"].Should().Be($"Did not run command since '{host.Path("done")}' exists");
        plan.Result["rc"].Should().Be(0L);
        check.Result["msg"].Should().Be($"Would not run command since '{host.Path("done")}' exists");
        File.Exists(host.Pwned).Should().BeFalse();
    }

    [Fact]
    public async Task CreatesGlobAndRemoves_DecideFromFacts()
    {
        await File.WriteAllTextAsync(host.Path("a.rpmnew"), "");

        (await host.RunAsync(module, new CommandParams { Cmd = "true", Creates = host.Path("*.rpmnew") })).Changed.Should().BeFalse();
        (await host.RunAsync(module, new CommandParams { Cmd = "true", Creates = host.Path("*.nothing") })).Changed.Should().BeTrue();
        (await host.RunAsync(module, new CommandParams { Cmd = "true", Removes = host.Path("gone") })).Result["msg"]
            .Should().Be($"Did not run command since '{host.Path("gone")}' does not exist");
        (await host.RunAsync(module, new CommandParams { Cmd = "true", Removes = "a.rpmnew", Chdir = host.Root })).Changed.Should().BeTrue();
    }

    [Fact]
    public async Task CheckMode_PlansRun_AndCreatesSeesEarlierTasks()
    {
        var marker = host.Path("made-by-copy");

        var would = await host.PlanAsync(module, new CommandParams { Cmd = "true", Creates = marker }, checkMode: true);
        await host.PlanAsync(new CopyModule(), new CopyParams { Content = "x", Dest = marker }, checkMode: true);
        var skipped = await host.PlanAsync(module, new CommandParams { Cmd = "true", Creates = marker }, checkMode: true);

        would.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Run);
        would.NeedsExecution.Should().BeTrue();
        would.Result["msg"].Should().Be("Command would have run if not in check mode");
        skipped.Changed.Should().BeFalse();
        skipped.Result["msg"].Should().Be($"Would not run command since '{marker}' exists");
    }

    [Fact]
    public async Task Chdir_RunsThere_AndAMissingOneFails()
    {
        var dir = host.Path("it's a dir");
        Directory.CreateDirectory(dir);

        (await host.RunAsync(module, new CommandParams { Cmd = "pwd", Chdir = dir })).Result["stdout"].Should().Be(dir);

        var missing = await host.RunAsync(module, new CommandParams { Cmd = "pwd", Chdir = host.Path("nope") });
        missing.Failed.Should().BeTrue();
        missing.Message.Should().StartWith("Unable to change directory before execution:");
    }

    [Fact]
    public async Task Stdin_IsFedWithNewlineByDefault()
    {
        var hostile = $"it's $(touch {host.Pwned})";

        var withNewline = await host.RunAsync(module, new CommandParams { Argv = ["od", "-c"], Stdin = "ab" });
        var raw = await host.RunAsync(module, new CommandParams { Cmd = "cat", Stdin = hostile, StdinAddNewline = false, StripEmptyEnds = false });

        withNewline.Result["stdout"].Should().BeOfType<string>().Which.Should().Contain("a   b  \\n");
        raw.Result["stdout"].Should().Be(hostile);
        File.Exists(host.Pwned).Should().BeFalse();
    }

    [Fact]
    public void Validate_Rules()
    {
        module.Validate(new CommandParams()).Should().Contain("no command given");
        module.Validate(new CommandParams { Cmd = "  " }).Should().Contain("no command given");
        module.Validate(new CommandParams { Cmd = "a", Argv = ["b"] }).Should().Contain("only command or argv can be given, not both");
        module.Validate(new CommandParams { Cmd = "echo 'open" }).Should().Contain("cmd cannot be split into arguments: No closing quotation");
        module.Validate(new CommandParams { Argv = ["-x"] }).Should().ContainSingle().Which.Should().Contain("cannot start with '-'");
        module.Validate(new CommandParams { Cmd = "echo hi" }).Should().BeEmpty();
    }

    [Theory]
    [InlineData("a b  c", new[] { "a", "b", "c" })]
    [InlineData("'a b' \"c d\" e\\ f", new[] { "a b", "c d", "e f" })]
    [InlineData("a'b'\"c\"d", new[] { "abcd" })]
    [InlineData("'' \"\"", new[] { "", "" })]
    [InlineData("\"a\\\"b\\\\c\\d\"", new[] { "a\"b\\c\\d" })]
    [InlineData("'a\\b' # not a comment", new[] { "a\\b", "#", "not", "a", "comment" })]
    [InlineData("x\\\ny", new[] { "x\ny" })]
    public void Shlex_SplitsLikePython(string text, string[] expected) =>
        Shlex.Split(text).Should().Equal(expected);

    [Fact]
    public void Docs_DescribeEveryParameterAndExamplesUseThem() => ModuleDocs.AssertConsistent(module);
}
