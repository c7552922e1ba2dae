using System.Diagnostics;
using System.Globalization;

namespace StateForge.Transport;

/// <summary>
/// Timing spans for profiling a run: with STATEFORGE_TRACE=1 (or a file path) each span is one
/// line on stderr (or appended to the file): seconds since the process started, the span's
/// length, the host and what it was (SSH connect with the algorithms negotiated, each remote
/// command, each fact batch, each task's planning). Off by default and then free.
/// </summary>
public static class RunTrace
{
    private static readonly Lock Gate = new();
    private static readonly TextWriter? Writer = Open(Environment.GetEnvironmentVariable("STATEFORGE_TRACE"));
    private static readonly DateTime ProcessStart = StartTime();

    public static bool Enabled => Writer is not null;

    /// <summary>Starts a span; dispose the result (or call <see cref="Span.End"/>) to record it.</summary>
    public static Span Begin(string host, string what) => Writer is null ? default : new Span(host, what, Stopwatch.GetTimestamp());

    /// <summary>Records a point in time (e.g. "engine started").</summary>
    public static void Mark(string host, string what)
    {
        if (Writer is not null)
        {
            Write(host, what, TimeSpan.Zero);
        }
    }

    private static void Write(string host, string what, TimeSpan length)
    {
        var since = (DateTime.UtcNow - ProcessStart).TotalSeconds;
        var line = string.Create(CultureInfo.InvariantCulture, $"[trace +{since:0.000}s] {length.TotalSeconds,7:0.000}s {host,-10} {what}");
        lock (Gate)
        {
            Writer!.WriteLine(line);
            Writer.Flush();
        }
    }

    private static TextWriter? Open(string? setting)
    {
        if (string.IsNullOrEmpty(setting) || setting == "0")
        {
            return null;
        }

        return setting is "1" or "stderr" ? Console.Error : new StreamWriter(setting, append: true);
    }

    private static DateTime StartTime()
    {
        try
        {
            using var self = Process.GetCurrentProcess();
            return self.StartTime.ToUniversalTime();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return DateTime.UtcNow;
        }
    }

    public readonly struct Span(string host, string what, long started) : IDisposable
    {
        public void End(string? detail = null)
        {
            if (Writer is not null && started != 0)
            {
                Write(host, detail is null ? what : $"{what} ({detail})", Stopwatch.GetElapsedTime(started));
            }
        }

        public void Dispose() => End();
    }
}
