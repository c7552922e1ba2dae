namespace StateForge.Tests.Corpus;

/// <summary>
/// A temp copy of tests/corpus/valid (its includes, vars files and roles, plus playbooks/roles) where
/// mutated inputs are written, so includes and roles resolve; and the seed texts mutations start from.
/// </summary>
internal sealed class FuzzWorkspace : IDisposable
{
    private const int MaxSeedLength = 200_000;

    public FuzzWorkspace()
    {
        Copy(Path.Combine(CorpusFiles.Root, "valid"), Dir);
        Copy(Path.Combine(CorpusFiles.RepositoryRoot, "playbooks", "roles"), Path.Combine(Dir, "roles"));
        Directory.CreateDirectory(Path.Combine(Dir, "inv"));
        Playbooks = [.. Texts(Path.Combine(CorpusFiles.Root, "valid"), "*.yml"), .. Texts(Path.Combine(CorpusFiles.RepositoryRoot, "playbooks"), "*.yml"), .. Texts(CorpusFiles.Playbooks, "*.yml")];
        IncludedFiles = ["support/tasks.yml", "support/vars.yml", "support/base.yml", "roles/webapp/tasks/main.yml", "roles/webapp/defaults/main.yml", "roles/webapp/handlers/main.yml"];
        Inventories =
        [
            .. Texts(Path.Combine(CorpusFiles.Root, "valid"), "hosts.*"),
            .. Texts(CorpusFiles.Inventories, "*"),
            .. Texts(Path.Combine(CorpusFiles.RepositoryRoot, "tests", "StateForge.Tests", "Inventory", "Fixtures"), "*", SearchOption.AllDirectories),
        ];
        Inventory = CorpusFiles.Inventory;
    }

    public string Dir { get; } = Directory.CreateTempSubdirectory("sf-fuzz-").FullName;

    /// <summary>Seed playbooks: the valid ones first, then the sample playbooks and the broken corpus.</summary>
    public IReadOnlyList<string> Playbooks { get; }

    /// <summary>Files the valid site.yml includes, relative to <see cref="Dir"/>.</summary>
    public IReadOnlyList<string> IncludedFiles { get; }

    public IReadOnlyList<string> Inventories { get; }

    public string Inventory { get; }

    public string SitePath => Path.Combine(Dir, "site.yml");

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    private static IEnumerable<string> Texts(string dir, string pattern, SearchOption option = SearchOption.TopDirectoryOnly) =>
        Directory.EnumerateFiles(dir, pattern, option)
            .Where(f => !f.EndsWith(".expect", StringComparison.Ordinal) && new FileInfo(f).Length <= MaxSeedLength)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText);

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
