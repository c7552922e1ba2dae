using System.Text;

namespace StateForge.Transport;

/// <summary>
/// The one quoting helper: every command StateForge sends to a host is built from arguments
/// here, so a playbook value never reaches a shell unquoted.
/// </summary>
public static class Shell
{
    /// <summary>Quotes one argument for POSIX sh: single quotes, with embedded single quotes spliced.</summary>
    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(IsSafe))
        {
            return argument;
        }

        return "'" + argument.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
    }

    /// <summary>A command line from an argument list, each argument quoted.</summary>
    public static string Command(params IEnumerable<string> argv) => string.Join(' ', argv.Select(Quote));

    /// <summary>A command that feeds literal bytes to another command's stdin, without a here-document.</summary>
    public static string PipeBytes(ReadOnlySpan<byte> data, string command) =>
        $"printf '%s' {Quote(Convert.ToBase64String(data))} | base64 -d | {command}";

    public static string PipeText(string text, string command) => PipeBytes(Encoding.UTF8.GetBytes(text), command);

    private static bool IsSafe(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or '/' or ':' or '=' or '@' or ',' or '+' or '%';
}
