using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace StateForge.Secrets;

/// <summary>
/// `--vault-password-file PATH`: the file's first line; or, when the file is executable, the first
/// line the program prints (Ansible's password client scripts). The script's stderr goes to the
/// user's terminal untouched, so StateForge never repeats what it says.
/// </summary>
public sealed class PasswordFileSource(string path, TimeSpan? scriptTimeout = null) : IVaultPasswordSource
{
    /// <summary>Names a password file when no option does.</summary>
    public const string EnvironmentVariable = "STATEFORGE_VAULT_PASSWORD_FILE";

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public string Path { get; } = path;

    public PasswordLookup GetPassword(string file)
    {
        if (!File.Exists(Path))
        {
            return PasswordLookup.Failed($"vault password file '{Path}' not found");
        }

        string? output;
        string? problem;
        try
        {
            (output, problem) = IsExecutable() ? RunScript() : (File.ReadAllText(Path), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PasswordLookup.Failed($"cannot read vault password file '{Path}': {e.Message}");
        }

        if (problem is not null)
        {
            return PasswordLookup.Failed(problem);
        }

        var password = FirstLine(output ?? "");
        return password.Length == 0
            ? PasswordLookup.Failed($"vault password file '{Path}' is empty")
            : PasswordLookup.Found(password);
    }

    private bool IsExecutable() => !OperatingSystem.IsWindows() && (File.GetUnixFileMode(Path) & AnyExecute) != 0;

    private (string? Output, string? Problem) RunScript()
    {
        var start = new ProcessStartInfo(System.IO.Path.GetFullPath(Path))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            return (null, $"cannot run vault password script '{Path}': {e.Message}");
        }

        if (process is null)
        {
            return (null, $"cannot run vault password script '{Path}'");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(scriptTimeout ?? TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                return (null, $"vault password script '{Path}' did not finish in time");
            }

            // A child the script left behind may hold stdout open: do not wait for it forever.
            if (!stdout.Wait(TimeSpan.FromSeconds(10)))
            {
                return (null, $"vault password script '{Path}' left its output open");
            }

            var output = stdout.Result;
            return process.ExitCode == 0
                ? (output, null)
                : (null, $"vault password script '{Path}' exited with code {process.ExitCode}");
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).TrimEnd('\r');
    }
}
