using StateForge.Cli;

return await StateForgeCli.RunAsync(args, CliEnvironment.FromProcess()).ConfigureAwait(false);
