using System.Diagnostics;
using Xunit.Sdk;

namespace StateForge.KubeApiServer.Tests.Support;

public sealed record KubectlResult(int ExitCode, string StdOut, string StdErr);

/// <summary>
/// Runs the real kubectl (STATEFORGE_KUBECTL, else kubectl on PATH) against one lab. A missing
/// kubectl fails the test: these tests must never be skipped.
/// </summary>
public sealed class KubectlRunner(string kubeconfig, string cacheDir, string workingDirectory)
{
    public static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("STATEFORGE_KUBECTL");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new XunitException($"STATEFORGE_KUBECTL points to {configured}, which does not exist.");
        }

        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
        return found ?? throw new XunitException(
            "kubectl is not installed, and these tests need the real one. Install it: " +
            "`apt-get install -y kubernetes-client` (Debian), or set STATEFORGE_KUBECTL to a kubectl binary.");
    }

    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add($"--kubeconfig={kubeconfig}");
        start.ArgumentList.Add($"--cache-dir={cacheDir}");
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = workingDirectory;
        start.Environment.Remove("KUBECTL_EXTERNAL_DIFF");

        using var process = Process.Start(start) ?? throw new XunitException("kubectl did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new XunitException(
                $"kubectl {string.Join(' ', args)} did not finish in 20 s.\nstdout: {await stdout}\nstderr: {await stderr}");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }
}
