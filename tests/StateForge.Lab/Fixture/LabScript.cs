namespace StateForge.Lab;

/// <summary>Finds and runs tests/lab/lab, the bash script that builds and tears down labs.</summary>
public sealed class LabScript
{
    private readonly IReadOnlyDictionary<string, string>? _environment;

    public LabScript(string path, IReadOnlyDictionary<string, string>? environment = null)
    {
        Path = path;
        _environment = environment;
    }

    public string Path { get; }

    public static LabScript Locate(LabOptions options)
    {
        var path = options.ScriptPath
            ?? System.Environment.GetEnvironmentVariable("STATEFORGE_LAB_SCRIPT")
            ?? FindInRepository(AppContext.BaseDirectory)
            ?? throw new LabUnavailableException(
                $"cannot find tests/lab/lab above {AppContext.BaseDirectory}; set STATEFORGE_LAB_SCRIPT to its path");
        if (!File.Exists(path))
        {
            throw new LabUnavailableException($"the lab script {path} does not exist");
        }

        return new LabScript(path, options.Environment);
    }

    public Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("bash", [Path, .. arguments], cancellationToken, _environment);

    private static string? FindInRepository(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "lab", "lab");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
