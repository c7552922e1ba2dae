using System.Text.RegularExpressions;
using StateForge.Diagnostics;

namespace StateForge.Tests.Corpus;

/// <summary>What every diagnostic must be, whatever the input: a stable code, a message, a position, no stack trace.</summary>
internal static partial class DiagnosticChecks
{
    /// <summary>The problems with a diagnostic, empty when it is well-formed.</summary>
    public static IEnumerable<string> Problems(Diagnostic d, Func<Diagnostic, bool> mayLackPosition)
    {
        if (!Code().IsMatch(d.Code))
        {
            yield return $"'{d}' has no SFnnnn code";
        }

        if (string.IsNullOrWhiteSpace(d.Message))
        {
            yield return $"'{d}' has no message";
        }

        if (d.Message.Contains("   at ", StringComparison.Ordinal) || ExceptionName().IsMatch(d.Message))
        {
            yield return $"'{d}' carries a stack trace or an exception name";
        }

        if (d.Span.IsNone ? !mayLackPosition(d) : d.Span.Line < 1 || d.Span.Column < 1 || d.Span.File.Length == 0)
        {
            yield return $"'{d}' has no position (file(line,col))";
        }
    }

    [GeneratedRegex(@"^SF\d{4}$")]
    private static partial Regex Code();

    [GeneratedRegex(@"\b(System\.)?\w+Exception\b")]
    private static partial Regex ExceptionName();
}
