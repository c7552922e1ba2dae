using System.Globalization;

namespace StateForge.KubeApiServer.Hosting;

/// <summary>Arguments of the program: --port, --kubeconfig-out, --binder-delay, --seed-registry, --token, --verbose.</summary>
internal sealed record CommandLine(KubeApiTestServerOptions Options, string? KubeconfigOut)
{
    public const string Usage =
        "usage: StateForge.KubeApiServer [--port N] [--kubeconfig-out PATH] [--binder-delay 1s] [--seed-registry] [--token T] [--verbose]";

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new KubeApiTestServerOptions();
        string? kubeconfig = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            options = args[i] switch
            {
                "--port" => options with { Port = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--binder-delay" => options with { BinderDelay = ParseDuration(Value()) },
                "--seed-registry" => options with { SeedRegistry = true },
                "--token" => options with { Token = Value() },
                "--verbose" => options with { ConsoleLogging = true },
                "--kubeconfig-out" => options,
                _ => throw new ArgumentException($"unknown argument {args[i]}\n{Usage}"),
            };
            if (args[i] == "--kubeconfig-out")
            {
                kubeconfig = Value();
            }
        }

        return new CommandLine(options, kubeconfig);
    }

    /// <summary>"500ms", "2s", "1m" or a TimeSpan ("00:00:02").</summary>
    public static TimeSpan ParseDuration(string text)
    {
        (string Suffix, double Scale)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, scale) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return TimeSpan.FromMilliseconds(n * scale);
            }
        }

        return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
    }
}
