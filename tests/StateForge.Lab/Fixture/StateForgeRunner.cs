using System.Diagnostics;
using StateForge.Cli;

namespace StateForge.Lab;

/// <summary>What one `stateforge` invocation left: exit code, output, the parsed JSON report.</summary>
/// <param name="Report">Null when the CLI wrote none (invalid input, or a crash before the end).</param>
public sealed record StateForgeRun(int ExitCode, string Out, string Error, StateForgeReport? Report, TimeSpan Elapsed)
{
    /// <summary>The report; fails the test with the CLI's output when there is none.</summary>
    public StateForgeReport RequireReport() =>
        Report ?? throw new InvalidOperationException($"stateforge wrote no JSON report (exit {ExitCode}).\nstdout:\n{Out}\nstderr:\n{Error}");

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\nstdout:\n{Out}\nstderr:\n{Error}";
}

/// <summary>
/// Runs the real `stateforge` command line against a lab: in-process through
/// <see cref="StateForgeCli.RunAsync"/> (the same code as the binary, with the test's writers
/// and cancellation), or as a child process of the built binary when a test needs a real signal.
/// Every run gets the lab's inventory and known_hosts and writes its JSON report to a file.
/// </summary>
public static class StateForgeRunner
{
    /// <summary>`stateforge COMMAND PLAYBOOK -i INVENTORY --known-hosts KNOWN_HOSTS --json REPORT OPTIONS…` in-process.</summary>
    /// <param name="lab">The lab whose inventory and known_hosts the run gets.</param>
    /// <param name="command">apply or check.</param>
    /// <param name="playbookPath">The playbook; the report is written beside it.</param>
    /// <param name="options">More command-line options.</param>
    /// <param name="cancellationToken">Ctrl-C: the token the CLI's environment carries.</param>
    /// <param name="knownHosts">Another known_hosts file than the lab's.</param>
    public static Task<StateForgeRun> RunAsync(
        LabHosts lab, string command, string playbookPath, IEnumerable<string>? options = null, CancellationToken cancellationToken = default, string? knownHosts = null) =>
        RunAsync(lab.InventoryPath, knownHosts ?? lab.KnownHostsPath, command, playbookPath, options, cancellationToken);

    /// <summary>`stateforge COMMAND PLAYBOOK -i INVENTORY --known-hosts KNOWN_HOSTS --json REPORT OPTIONS…` in-process, with any inventory.</summary>
    public static async Task<StateForgeRun> RunAsync(
        string inventoryPath, string knownHosts, string command, string playbookPath, IEnumerable<string>? options = null, CancellationToken cancellationToken = default)
    {
        var report = ReportPath(playbookPath);
        string[] args = [command, playbookPath, "-i", inventoryPath, "--known-hosts", knownHosts, "--json", report, .. options ?? []];

        // The renderer and the observer may write from several hosts' tasks at once.
        using var output = new StringWriter();
        using var error = new StringWriter();
        var syncOut = TextWriter.Synchronized(output);
        var syncErr = TextWriter.Synchronized(error);
        var clock = Stopwatch.StartNew();
        var code = await StateForgeCli.RunAsync(args, CliEnvironment.Plain(syncOut, syncErr, cancellationToken));
        clock.Stop();
        return new StateForgeRun(code, output.ToString(), error.ToString(), await ReadReportAsync(report), clock.Elapsed);
    }

    public static Task<StateForgeRun> ApplyAsync(LabHosts lab, string playbookPath, params string[] options) =>
        RunAsync(lab, "apply", playbookPath, options);

    public static Task<StateForgeRun> CheckAsync(LabHosts lab, string playbookPath, params string[] options) =>
        RunAsync(lab, "check", playbookPath, options);

    /// <summary>
    /// Starts the built binary (`dotnet stateforge.dll …`, the CLI project's build output) as a
    /// child process, for what only a real process shows: a signal, the process exit itself.
    /// </summary>
    public static StateForgeProcess Start(LabHosts lab, string command, string playbookPath, IEnumerable<string>? options = null)
    {
        var dll = CliDll();
        var report = ReportPath(playbookPath);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[dll, command, playbookPath, "-i", lab.InventoryPath, "--known-hosts", lab.KnownHostsPath, "--json", report, .. options ?? []])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["TERM"] = "dumb";
        return new StateForgeProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet"), report);
    }

    /// <summary>
    /// The CLI's own build output (src/StateForge.Cli/bin/CONFIG/TFM/stateforge.dll), not the copy
    /// beside the tests: this project also references ASP.NET Core (the Kubernetes API test
    /// server), so assemblies the CLI needs from NuGet (Microsoft.Extensions.Logging.Abstractions,
    /// for SSH.NET) come from the ASP.NET shared framework here and are not copied; the copied
    /// stateforge.dll then fails to load them.
    /// </summary>
    private static string CliDll()
    {
        var beside = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (tfm, configuration) = (beside.Name, beside.Parent?.Name ?? "Release");
        for (var dir = beside; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "StateForge.Cli", "bin", configuration, tfm, "stateforge.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"cannot find src/StateForge.Cli/bin/{configuration}/{tfm}/stateforge.dll above {AppContext.BaseDirectory}: build the CLI");
    }

    internal static async Task<StateForgeReport?> ReadReportAsync(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var text = await File.ReadAllTextAsync(path);
        File.Delete(path);
        return StateForgeReport.Parse(text);
    }

    private static string ReportPath(string playbookPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(playbookPath))!, $"report-{Guid.NewGuid():N}.json");
}

/// <summary>A `stateforge` child process: its output is read as it comes, the report at the end.</summary>
public sealed class StateForgeProcess : IDisposable
{
    private readonly Process process;
    private readonly string reportPath;
    private readonly Task<string> stdout;
    private readonly Task<string> stderr;
    private readonly Stopwatch clock = Stopwatch.StartNew();

    internal StateForgeProcess(Process process, string reportPath)
    {
        this.process = process;
        this.reportPath = reportPath;
        process.StandardInput.Close();
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Fails with everything the process printed when it has already ended.</summary>
    public async Task EnsureRunningAsync(string what)
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException($"stateforge ended before {what}: {await WaitAsync(TimeSpan.FromSeconds(5))}");
        }
    }

    /// <summary>Sends a signal ("INT" as Ctrl-C on a terminal does, "TERM", …) to this process only, by its id.</summary>
    public async Task SignalAsync(string signal) =>
        (await ProcessRunner.RunAsync("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])).EnsureSuccess("kill -" + signal);

    /// <summary>Waits for the exit; kills the process (by id) and throws when it outlives <paramref name="timeout"/>.</summary>
    public async Task<StateForgeRun> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"stateforge (pid {process.Id}) still running after {timeout.TotalSeconds:0} s; killed.\nstdout so far:\n{await stdout}\nstderr:\n{await stderr}");
        }

        clock.Stop();
        return new StateForgeRun(process.ExitCode, await stdout, await stderr, await StateForgeRunner.ReadReportAsync(reportPath), clock.Elapsed);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}
