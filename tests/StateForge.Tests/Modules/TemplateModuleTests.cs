using StateForge.Facts;
using StateForge.Modules.Host;
using StateForge.Planning;
using StateForge.Templating;
using StateForge.Transport;

namespace StateForge.Tests.Modules;

/// <summary>The template module against the real file system: plan from probed facts, run the steps with sh, plan again.</summary>
public sealed class TemplateModuleTests : IDisposable
{
    private static readonly ScribanTemplateEngine Engine = new();
    private readonly string root = Directory.CreateTempSubdirectory("sf-template-").FullName;
    private readonly TemplateModule module = new();

    public TemplateModuleTests() => Directory.CreateDirectory(Path.Combine(root, "templates"));

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Dest => Path.Combine(root, "out", "app.conf");

    private void Template(string text) => File.WriteAllText(Path.Combine(root, "templates", "app.conf.j2"), text);

    private static Dictionary<string, object?> Vars(object? port = null, string? name = null) => new(StringComparer.Ordinal)
    {
        ["app_port"] = port ?? 8080L,
        ["app_name"] = name ?? "demo",
        ["inventory_hostname"] = "localhost",
    };

    private PlanContext Context(IReadOnlyDictionary<string, object?> vars) => new()
    {
        Host = "localhost",
        Facts = new HostFacts((probes, ct) => ScriptBatch.RunAsync(new LocalConnection("localhost"), BecomeSpec.None, HostFacts.ToSteps(probes), stopOnFailure: false, ct)),
        CheckMode = false,
        Variables = vars,
        Templates = Engine,
        SearchPaths = [root],
    };

    private TemplateParams Params(string? owner = null, string? group = null, string? mode = null, bool backup = false) =>
        new() { Src = "app.conf.j2", Dest = Dest, Owner = owner, Group = group, Mode = mode, Backup = backup };

    private async Task<TaskPlan> PlanAsync(TemplateParams p, IReadOnlyDictionary<string, object?>? vars = null) =>
        await module.PlanAsync(p, Context(vars ?? Vars()), CancellationToken.None);

    private async Task<TaskPlan> ApplyAsync(TemplateParams p, TaskPlan plan)
    {
        var steps = plan.Steps.Select((s, i) => new ScriptStep("s" + i, s.Script)).ToList();
        var results = await ScriptBatch.RunAsync(new LocalConnection("localhost"), BecomeSpec.None, steps, stopOnFailure: true, CancellationToken.None);
        return module.Complete(p, plan, results);
    }

    private static string Stat(string path, string format)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("stat", ["-c", format, path]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }

    [Fact]
    public async Task Plan_NewFile_CreatesItWithDiffAndAttributes()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Dest)!);
        Template("# {{ ansible_managed }}\nname={{ app_name }}\n{% for p in [app_port, app_port + 1] %}\nlisten {{ p }}\n{% endfor %}\n");
        var p = Params(owner: "nobody", group: "nogroup", mode: "0640");

        var plan = await PlanAsync(p);
        plan.Changes.Should().ContainSingle().Which.Action.Should().Be(ChangeAction.Create);
        plan.Changes[0].Diff.Should().Be("--- /dev/null\n+++ after: " + Dest + "\n@@ -0,0 +1,4 @@\n+# Ansible managed\n+name=demo\n+listen 8080\n+listen 8081\n");
        var done = await ApplyAsync(p, plan);

        done.Failed.Should().BeFalse(done.Message);
        File.ReadAllText(Dest).Should().Be("# Ansible managed\nname=demo\nlisten 8080\nlisten 8081\n");
        Stat(Dest, "%U:%G %a").Should().Be("nobody:nogroup 640");
        done.Result["checksum"].Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Dest))));
        done.Result["dest"].Should().Be(Dest);
        Directory.GetFiles(Path.GetDirectoryName(Dest)!).Should().ContainSingle("the temp file is renamed, not left behind");
    }

    [Fact]
    public async Task Apply_SecondRun_ReportsNoChanges()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Dest)!);
        Template("port={{ app_port }}\n");
        var p = Params(mode: "0600");
        await ApplyAsync(p, await PlanAsync(p));

        var again = await PlanAsync(p);

        again.Changed.Should().BeFalse();
        again.Steps.Should().BeEmpty();
    }

    [Fact]
    public async Task Plan_ChangedContent_ShowsUnifiedDiffAndKeepsOwnerAndMode()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Dest)!);
        File.WriteAllText(Dest, "a\nport=1\nb\nc\nd\ne\nf\n");
        File.SetUnixFileMode(Dest, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Template("a\nport={{ app_port }}\nb\nc\nd\ne\nf\n");
        var p = Params();

        var plan = await PlanAsync(p);

        plan.Changes[0].Action.Should().Be(ChangeAction.Modify);
        plan.Changes[0].Diff.Should().Be($"--- before: {Dest}\n+++ after: {Dest}\n@@ -1,5 +1,5 @@\n a\n-port=1\n+port=8080\n b\n c\n d\n");
        (await ApplyAsync(p, plan)).Failed.Should().BeFalse();
        Stat(Dest, "%a").Should().Be("640");
        File.ReadAllText(Dest).Should().Contain("port=8080");
    }

    [Fact]
    public async Task Apply_Backup_KeepsTheOldFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Dest)!);
        File.WriteAllText(Dest, "old\n");
        Template("new\n");
        var p = Params(backup: true);

        var done = await ApplyAsync(p, await PlanAsync(p));

        var backup = (string)done.Result["backup_file"]!;
        backup.Should().StartWith(Dest + ".").And.EndWith("~");
        File.ReadAllText(backup).Should().Be("old\n");
        File.ReadAllText(Dest).Should().Be("new\n");
    }

    [Fact]
    public async Task Plan_OnlyModeDiffers_ChangesModeWithoutRewriting()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Dest)!);
        Template("same\n");
        File.WriteAllText(Dest, "same\n");
        File.SetUnixFileMode(Dest, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var p = Params(mode: "0644");

        var plan = await PlanAsync(p);

        plan.Changes[0].Diff.Should().Contain("-mode: 0600").And.Contain("+mode: 0644");
        plan.Steps.Should().ContainSingle().Which.Script.Should().NotContain("base64");
        await ApplyAsync(p, plan);
        Stat(Dest, "%a").Should().Be("644");
        (await PlanAsync(p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Apply_HostileContent_IsWrittenLiterallyAndRunsNothing()
    {
        var marker = Path.Combine(root, "pwned");
        Directory.CreateDirectory(Path.GetDirectoryName(Dest)!);
        Template("{{ payload }}\n");
        var payload = $"it's \"quoted\" $(touch {marker}) `touch {marker}` ${{HOME}}\nline2 '; touch {marker}; '\n\\n EOF";
        var vars = Vars();
        vars["payload"] = payload;
        var p = Params();

        var done = await ApplyAsync(p, await PlanAsync(p, vars));

        done.Failed.Should().BeFalse(done.Message);
        File.ReadAllText(Dest).Should().Be(payload + "\n");
        File.Exists(marker).Should().BeFalse();
    }

    [Fact]
    public async Task Apply_HostileDestination_IsQuoted()
    {
        var marker = Path.Combine(root, "pwned2");
        var dir = Path.Combine(root, "we ird $(touch " + marker + ")");
        Directory.CreateDirectory(dir);
        Template("x\n");
        var p = Params() with { Dest = Path.Combine(dir, "a'b`c`.conf") };

        var done = await ApplyAsync(p, await PlanAsync(p));

        done.Failed.Should().BeFalse(done.Message);
        File.ReadAllText(p.Dest).Should().Be("x\n");
        File.Exists(marker).Should().BeFalse();
    }

    [Fact]
    public async Task Plan_Simulates_SoLaterTasksSeeTheNewFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Dest)!);
        Template("v={{ app_port }}\n");
        var context = Context(Vars());

        await module.PlanAsync(Params(), context, CancellationToken.None);
        var state = await context.Facts.GetAsync<FileState>(new FileProbe(Dest, WithContent: true), CancellationToken.None);

        state.Text.Should().Be("v=8080\n");
        File.Exists(Dest).Should().BeFalse("planning writes nothing");
    }

    [Fact]
    public async Task Plan_UndefinedVariable_FailsNamingTemplateLineAndVariable()
    {
        Template("ok\nport={{ missing_port }}\n");

        var plan = await PlanAsync(Params());

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("app.conf.j2(2,9): 'missing_port' is undefined");
    }

    [Fact]
    public async Task Plan_MissingTemplate_Fails()
    {
        var plan = await PlanAsync(Params() with { Src = "nope.j2" });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Contain("nope.j2");
    }

    [Fact]
    public async Task Apply_SymbolicMode_IsIdempotent()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Dest)!);
        Template("x\n");
        var p = Params(mode: "u=rw,g=r,o=");

        await ApplyAsync(p, await PlanAsync(p));

        Stat(Dest, "%a").Should().Be("640");
        (await PlanAsync(p)).Changed.Should().BeFalse();
    }

    [Fact]
    public async Task Plan_ForceFalse_LeavesAnExistingFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Dest)!);
        File.WriteAllText(Dest, "mine\n");
        Template("theirs\n");

        var plan = await PlanAsync(Params() with { Force = false });

        plan.Changed.Should().BeFalse();
    }
}
