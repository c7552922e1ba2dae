using System.Text;
using System.Text.RegularExpressions;

namespace StateForge.Tests.Corpus;

/// <summary>One diagnostic a corpus file must produce: its code and where (null position: a whole-file problem).</summary>
internal sealed record Expectation(string Code, string? File, int Line, int Column)
{
    public bool WholeFile => Line == 0;

    public override string ToString() => WholeFile ? $"{Code} (whole file)" : $"{Code} at {File}({Line},{Column})";
}

/// <summary>
/// Finds tests/corpus in the source tree (it is not copied to the output directory) and reads the
/// expectations each file carries: leading `# expect: SF0004 at 5:7` lines, or, where a comment is
/// impossible (an empty file, a directory), a sidecar NAME.expect with lines such as `SF0027 at 1:1`.
/// `at other/file.yml 2:3` places a diagnostic in another file, relative to the corpus file's
/// directory; `whole-file` stands for a diagnostic without a position.
/// </summary>
internal static partial class CorpusFiles
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Playbooks => Path.Combine(Root, "playbooks");

    public static string Inventories => Path.Combine(Root, "inventories");

    /// <summary>The fixed inventory corpus playbooks are checked against.</summary>
    public static string Inventory => Path.Combine(Root, "inventory.ini");

    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(Root, "..", ".."));

    /// <summary>The corpus entries of a folder: every file or directory but sidecars, the support folders and README.</summary>
    public static IEnumerable<string> Entries(string folder) =>
        Directory.EnumerateFileSystemEntries(folder)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => char.IsAsciiDigit(n[0]) && !n.EndsWith(".expect", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static IReadOnlyList<Expectation> ExpectationsOf(string path)
    {
        var sidecar = path + ".expect";
        var lines = File.Exists(sidecar)
            ? File.ReadAllLines(sidecar)
            : File.Exists(path) ? Encoding.Latin1.GetString(File.ReadAllBytes(path)).Split('\n') : [];
        var dir = Path.GetDirectoryName(path)!;
        var result = new List<Expectation>();
        foreach (var raw in lines)
        {
            if (ExpectLine().Match(raw.Trim().TrimStart('\u00ef', '\u00bb', '\u00bf')) is not { Success: true } m)
            {
                continue;
            }

            var code = m.Groups["code"].Value;
            result.Add(m.Groups["line"].Success
                ? new Expectation(code, Path.GetFullPath(Path.Combine(dir, m.Groups["file"].Success ? m.Groups["file"].Value : Path.GetFileName(path))), int.Parse(m.Groups["line"].Value), int.Parse(m.Groups["col"].Value))
                : new Expectation(code, null, 0, 0));
        }

        return result;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "corpus");
            if (File.Exists(Path.Combine(candidate, "inventory.ini")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/corpus not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^(?:#\s*expect:\s*)?(?<code>SF\d{4})\s+(?:at\s+(?:(?<file>\S+)\s+)?(?<line>\d+):(?<col>\d+)|whole-file)\s*$")]
    private static partial Regex ExpectLine();
}
