using System.Diagnostics;
using System.Text;

namespace StateForge.Tests.Corpus;

/// <summary>Runs alone, so the process's CPU time measures one load at a time.</summary>
[CollectionDefinition(nameof(HugeInputs), DisableParallelization = true)]
public sealed class HugeInputs;

/// <summary>
/// Inputs too big to keep in the corpus, generated here: megabytes of playbook, ten thousand tasks,
/// long chains of includes and of inventory groups. Each is loaded or rejected within a CPU budget
/// (CPU rather than wall time, so a busy machine does not fail them), with no stack overflow.
/// </summary>
[Collection(nameof(HugeInputs))]
public sealed class HugeInputTests : IDisposable
{
    private static readonly TimeSpan CpuLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(60);
    private readonly string dir = Directory.CreateTempSubdirectory("sf-huge-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task Playbook_TenThousandTasks_LoadsCleanly()
    {
        var text = new StringBuilder("- hosts: web\n  tasks:\n");
        for (var i = 0; i < 10_000; i++)
        {
            text.Append($"    - name: task {i}\n      file:\n        path: /srv/app/{i}\n        state: directory\n        mode: \"0755\"\n      tags: [t{i % 10}]\n");
        }

        var outcome = await LoadPlaybookAsync(Write("site.yml", text.ToString()));
        outcome.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
    }

    [Fact]
    public async Task Playbook_FiveMegabytes_LoadsCleanly()
    {
        var line = "          " + new string('x', 90) + "\n";
        var text = "- hosts: web\n  tasks:\n    - copy:\n        dest: /tmp/big\n        content: |\n" + string.Concat(Enumerable.Repeat(line, 5_000_000 / line.Length));
        var outcome = await LoadPlaybookAsync(Write("site.yml", text));
        outcome.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
    }

    [Fact]
    public async Task Playbook_TenThousandBrokenTasks_ReportsEveryOne()
    {
        var text = new StringBuilder("- hosts: web\n  tasks:\n");
        for (var i = 0; i < 10_000; i++)
        {
            text.Append($"    - name: task {i}\n      frobnicate_{i}:\n        path: /srv/app/{i}\n");
        }

        var outcome = await LoadPlaybookAsync(Write("site.yml", text.ToString()));
        outcome.Diagnostics.Should().HaveCount(10_000).And.OnlyContain(d => d.Code == "SF0004");
        outcome.Diagnostics[^1].Span.Line.Should().Be(2 + (3 * 9_999) + 2);
    }

    [Fact]
    public async Task Playbook_FiveMegabyteModuleName_IsReportedQuicklyAndBriefly()
    {
        var outcome = await LoadPlaybookAsync(Write("site.yml", $"- hosts: web\n  tasks:\n    - ? \"{new string('x', 5_000_000)}\"\n      : {{}}\n"));
        var diagnostic = outcome.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("SF0004");
        diagnostic.Message.Length.Should().BeLessThan(2_000, "a huge name is not echoed whole");
    }

    [Fact]
    public async Task Playbook_HundredThousandItemList_LoadsCleanly()
    {
        var outcome = await LoadPlaybookAsync(Write("site.yml", $"- hosts: web\n  vars:\n    big: [{string.Join(", ", Enumerable.Repeat("1", 100_000))}]\n  tasks: []\n"));
        outcome.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
    }

    [Fact]
    public async Task Playbook_IncludeChainDeeperThanTheLimit_IsRejected()
    {
        Write("site.yml", "- hosts: web\n  tasks:\n    - include_tasks: t0.yml\n");
        for (var i = 0; i < 150; i++)
        {
            Write($"t{i}.yml", i < 149 ? $"- include_tasks: t{i + 1}.yml\n" : "- command: /bin/true\n");
        }

        var outcome = await LoadPlaybookAsync(Path.Combine(dir, "site.yml"));
        outcome.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0132");
    }

    [Fact]
    public async Task Playbook_ImportPlaybookChainDeeperThanTheLimit_IsRejected()
    {
        Write("site.yml", "- import_playbook: p0.yml\n");
        for (var i = 0; i < 150; i++)
        {
            Write($"p{i}.yml", i < 149 ? $"- import_playbook: p{i + 1}.yml\n" : "- hosts: web\n  tasks: []\n");
        }

        var outcome = await LoadPlaybookAsync(Path.Combine(dir, "site.yml"));
        outcome.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0132");
    }

    [Fact]
    public async Task Playbook_IncludeFanOut_IsRejectedInsteadOfExpandedTwoToTheTwentyTwoTimes()
    {
        Write("site.yml", "- hosts: web\n  tasks:\n    - include_tasks: f0.yml\n");
        for (var i = 0; i < 22; i++)
        {
            Write($"f{i}.yml", i < 21 ? $"- include_tasks: f{i + 1}.yml\n- include_tasks: f{i + 1}.yml\n" : "- command: /bin/true\n");
        }

        var outcome = await LoadPlaybookAsync(Path.Combine(dir, "site.yml"));
        outcome.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0133");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inventory_TenThousandNestedGroups_LoadsCleanly(bool childrenFirst)
    {
        var sections = Enumerable.Range(1, 9_999).Select(i => $"[g{i}:children]\ng{i - 1}\n");
        var text = childrenFirst ? string.Concat(sections.Reverse()) + "[g0]\nh0\n" : "[g0]\nh0\n" + string.Concat(sections);
        var outcome = await LoadInventoryAsync(Write("hosts.ini", text));
        outcome.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
    }

    [Fact]
    public async Task Inventory_HostNameWithFiftyThousandRanges_IsRefused()
    {
        var outcome = await LoadInventoryAsync(Write("hosts.ini", "[web]\nh" + string.Concat(Enumerable.Repeat("[1:1]", 50_000)) + "\n"));
        outcome.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0017");
    }

    [Fact]
    public async Task Inventory_TwentyThousandHosts_LoadsCleanly()
    {
        var text = new StringBuilder("[web]\n");
        for (var i = 0; i < 20_000; i++)
        {
            text.Append($"host{i}.example.com ansible_host=10.0.{i / 256 % 256}.{i % 256} http_port=80\n");
        }

        var outcome = await LoadInventoryAsync(Write("hosts.ini", text.ToString()));
        outcome.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Task<LoadOutcome> LoadPlaybookAsync(string path) => MeasureAsync(() => CorpusLoader.Playbook(path));

    private static Task<LoadOutcome> LoadInventoryAsync(string path) => MeasureAsync(() => CorpusLoader.Inventory(path));

    private static async Task<LoadOutcome> MeasureAsync(Func<LoadOutcome> load)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var outcome = await Task.Run(load).WaitAsync(HangLimit);
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        outcome.Crash.Should().BeNull();
        used.Should().BeLessThan(CpuLimit, "a huge input is loaded or rejected in bounded time");
        outcome.Diagnostics.SelectMany(d => DiagnosticChecks.Problems(d, _ => false)).Should().BeEmpty();
        return outcome;
    }
}
