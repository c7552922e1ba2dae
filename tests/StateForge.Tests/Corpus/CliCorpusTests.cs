using System.Text.RegularExpressions;
using StateForge.Cli;

namespace StateForge.Tests.Corpus;

/// <summary>
/// A few corpus inputs through the real command line, in-process: `validate` and `apply` exit 4
/// (invalid input, nothing run: the inventory's hosts are unreachable, so touching one would
/// be exit 3), print the expected diagnostics with their positions, and never a stack trace.
/// </summary>
public sealed partial class CliCorpusTests
{
    [Theory]
    [InlineData("validate", "playbooks/01-unclosed-flow-sequence.yml")]
    [InlineData("validate", "playbooks/06-tab-indent.yml")]
    [InlineData("validate", "playbooks/13-null-byte.yml")]
    [InlineData("validate", "playbooks/14-invalid-utf8.yml")]
    [InlineData("validate", "playbooks/17-empty.yml")]
    [InlineData("validate", "playbooks/19-directory.yml")]
    [InlineData("validate", "playbooks/20-deep-block-nesting.yml")]
    [InlineData("validate", "playbooks/22-billion-laughs.yml")]
    [InlineData("validate", "playbooks/56-circular-include-3.yml")]
    [InlineData("validate", "playbooks/66-pattern-unclosed-bracket.yml")]
    [InlineData("validate", "playbooks/80-many-mistakes.yml")]
    [InlineData("apply", "playbooks/86-required-parameter-null.yml")]
    [InlineData("apply", "playbooks/84-pattern-backwards-glob-range.yml")]
    public async Task Cli_BrokenPlaybook_ExitsFourWithPositionedDiagnostics(string command, string corpusFile)
    {
        var path = Path.Combine(CorpusFiles.Root, corpusFile);
        var (code, error) = await RunAsync(command, path, CorpusFiles.Inventory);
        Verify(code, error, CorpusFiles.ExpectationsOf(path));
    }

    [Theory]
    [InlineData("inventories/03-range-reversed.ini")]
    [InlineData("inventories/11-unclosed-quote.ini")]
    [InlineData("inventories/20-yaml-duplicate-host.yml")]
    [InlineData("inventories/35-invalid-utf8.ini")]
    public async Task Cli_BrokenInventory_ExitsFourWithPositionedDiagnostics(string corpusFile)
    {
        var path = Path.Combine(CorpusFiles.Root, corpusFile);
        var (code, error) = await RunAsync("apply", Path.Combine(CorpusFiles.Root, "valid", "site.yml"), path);
        Verify(code, error, CorpusFiles.ExpectationsOf(path));
    }

    private static async Task<(int Code, string Error)> RunAsync(string command, string playbook, string inventory)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await StateForgeCli.RunAsync([command, playbook, "-i", inventory], CliEnvironment.Plain(output, error));
        return (code, error.ToString());
    }

    private static void Verify(int code, string error, IReadOnlyList<Expectation> expected)
    {
        code.Should().Be(4, $"invalid input exits 4 before anything runs; stderr:\n{error}");
        error.Should().NotContain("   at ").And.NotMatchRegex(ExceptionName().ToString());
        var printed = Regex.Replace(error, @"\s+", " ");
        foreach (var e in expected)
        {
            var where = e.WholeFile ? "" : $"{Path.GetFileName(e.File)}({e.Line},{e.Column}): ";
            printed.Should().Contain($"{where}error {e.Code}:");
        }
    }

    [GeneratedRegex(@"\b(System\.)?\w+Exception\b")]
    private static partial Regex ExceptionName();
}
