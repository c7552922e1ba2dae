using System.Collections.Immutable;
using System.CommandLine;
using Spectre.Console;
using StateForge.Cli.Rendering;
using StateForge.Diagnostics;
using StateForge.Execution;
using StateForge.Reporting;
using StateForge.Secrets;
using StateForge.Transport.Ssh;
using StateForge.Validation;
using StateForge.Variables;

namespace StateForge.Cli.Commands;

/// <summary>`apply`, `check` and `validate`: the commands that load a playbook.</summary>
internal static class RunCommands
{
    public static Command Apply(CliEnvironment env)
    {
        var options = new CommonOptions();
        var checkOption = new Option<bool>("--check", "-C") { Description = "Change nothing: report what would change (drift detection, exit 2)." };
        var command = new Command("apply", "Make hosts and the cluster match the playbook.");
        options.AddTo(command, run: true);
        command.Options.Add(checkOption);
        command.SetAction((parse, ct) => RunAsync(env, options, parse, parse.GetValue(checkOption)));
        return command;
    }

    public static Command Check(CliEnvironment env)
    {
        var options = new CommonOptions();
        var command = new Command("check", "Report drift without changing anything (apply --check): exit 0 in sync, 2 drift.");
        options.AddTo(command, run: true);
        command.SetAction((parse, ct) => RunAsync(env, options, parse, check: true));
        return command;
    }

    public static Command Validate(CliEnvironment env)
    {
        var options = new CommonOptions();
        var command = new Command("validate", "Load and check the playbook and inventory; touch nothing.");
        options.AddTo(command, run: false);
        command.SetAction((parse, ct) =>
        {
            using var vault = VaultKeyring.Use(VaultCommand.Keyring(env, parse.GetValue(options.VaultPasswordFile)));
            var err = Consoles.For(env.Error, env);
            var loaded = Load(env, options, parse, err);
            if (loaded is null)
            {
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            var tasks = loaded.Value.Playbook.Plays.Sum(p => PlaybookLoader.Flatten(p.Tasks).Count() + p.Handlers.Length);
            env.Out.WriteLine($"{loaded.Value.Playbook.Path}: valid ({loaded.Value.Playbook.Plays.Length} play(s), {tasks} task(s))");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment env, CommonOptions options, ParseResult parse, bool check)
    {
        using var vault = VaultKeyring.Use(VaultCommand.Keyring(env, parse.GetValue(options.VaultPasswordFile)));
        var err = Consoles.For(env.Error, env);
        var loaded = Load(env, options, parse, err);
        if (loaded is null)
        {
            return ExitCodes.InvalidInput;
        }

        var (engine, playbook, inventory, extraVars) = loaded.Value;
        var jsonTarget = parse.GetValue(options.Json);
        var jsonToStdout = jsonTarget == "-";
        var screen = Consoles.For(jsonToStdout ? env.Error : env.Out, env);
        var live = env.Interactive && !jsonToStdout;

        // On a terminal the log is kept while a live line per host shows progress, then printed.
        var buffer = new StringWriter();
        var output = live ? Consoles.For(buffer, env) : screen;
        var renderer = new ConsoleRenderer(output, check, parse.GetValue(options.Diff));
        var runOptions = new RunOptions
        {
            Check = check,
            Diff = parse.GetValue(options.Diff),
            Limit = parse.GetValue(options.Limit),
            Tags = SplitList(parse.GetValue(options.Tags)),
            SkipTags = SplitList(parse.GetValue(options.SkipTags)),
            ExtraVars = extraVars,
            Forks = parse.GetValue(options.Forks),
            LockTimeout = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(options.LockTimeout))),
        };
        RunReport report;
        if (live)
        {
            var progress = new LiveProgress(renderer);
            report = await progress.RunAsync(screen, () => engine.RunAsync(playbook, inventory, runOptions, progress, env.Cancellation)).ConfigureAwait(false);
            await env.Out.WriteAsync(buffer.ToString()).ConfigureAwait(false);
            renderer = new ConsoleRenderer(screen, check, parse.GetValue(options.Diff));
        }
        else
        {
            report = await engine.RunAsync(playbook, inventory, runOptions, renderer, env.Cancellation).ConfigureAwait(false);
        }

        renderer.Recap(report);
        if (jsonTarget is not null)
        {
            var json = JsonReport.Write(report);
            if (jsonToStdout)
            {
                await env.Out.WriteLineAsync(json).ConfigureAwait(false);
            }
            else
            {
                await File.WriteAllTextAsync(jsonTarget, json + "\n", CancellationToken.None).ConfigureAwait(false);
            }
        }

        return report.ExitCode;
    }

    private static (StateForgeEngine Engine, Model.Playbook Playbook, Inventory.IInventory Inventory, ImmutableDictionary<string, object?> ExtraVars)? Load(
        CliEnvironment env, CommonOptions options, ParseResult parse, Spectre.Console.IAnsiConsole err)
    {
        var diagnostics = new DiagnosticBag();
        var playbookPath = parse.GetValue(options.Playbook)!;
        var inventory = Composition.LoadInventory(parse.GetValue(options.Inventory) ?? [], playbookPath, diagnostics);
        var extraVars = ExtraVars.Parse(parse.GetValue(options.ExtraVars) ?? [], diagnostics);
        var engine = Composition.Engine(SshSettingsFrom(options, parse, env));
        var playbook = engine.Load(playbookPath, inventory, diagnostics);
        if (parse.GetResult(options.Limit) is not null && parse.GetValue(options.Limit) is { } limit)
        {
            inventory.Match(limit, SourceSpan.None, diagnostics);
        }
        ConsoleRenderer.Diagnostics(err, diagnostics.Sorted());
        if (diagnostics.HasErrors)
        {
            var count = diagnostics.Count(d => d.IsError);
            err.MarkupLine($"[red]{count} error(s); nothing was run.[/]");
            return null;
        }

        return (engine, playbook, inventory, extraVars);
    }

    private static SshSettings SshSettingsFrom(CommonOptions options, ParseResult parse, CliEnvironment env)
    {
        var settings = new SshSettings
        {
            HostKeyChecking = parse.GetValue(options.HostKeyChecking) switch
            {
                "accept-new" => HostKeyChecking.AcceptNew,
                "off" => HostKeyChecking.Off,
                _ => HostKeyChecking.Strict,
            },
            ConnectTimeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(options.Timeout))),
            CommandTimeout = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(options.CommandTimeout))),
            DefaultUser = parse.GetValue(options.User) ?? Environment.UserName,
            DefaultPrivateKey = parse.GetValue(options.PrivateKey),
            PassphraseProvider = file => Environment.GetEnvironmentVariable("STATEFORGE_SSH_PASSPHRASE") ?? Prompts.Secret(env, $"Passphrase for {file}: "),
            PasswordProvider = host => Environment.GetEnvironmentVariable("STATEFORGE_SSH_PASSWORD") ?? Prompts.Secret(env, $"SSH password for {host}: "),
        };
        return parse.GetValue(options.KnownHosts) is { } kh ? settings with { KnownHostsPath = kh } : settings;
    }

    private static ImmutableArray<string> SplitList(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];
}
