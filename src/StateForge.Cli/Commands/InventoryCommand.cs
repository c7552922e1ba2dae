using System.CommandLine;
using StateForge.Cli.Rendering;
using StateForge.Diagnostics;
using StateForge.Inventory;
using StateForge.Reporting;

namespace StateForge.Cli.Commands;

/// <summary>`stateforge inventory --graph | --list`, like ansible-inventory.</summary>
internal static class InventoryCommand
{
    public static Command Create(CliEnvironment env)
    {
        var inventory = new Option<string[]>("--inventory", "-i") { Description = "Inventory file, directory or host list (repeatable)." };
        var graph = new Option<bool>("--graph") { Description = "Show groups and hosts as a tree." };
        var list = new Option<bool>("--list") { Description = "Show groups, hosts and variables as JSON." };
        var command = new Command("inventory", "Show the inventory as StateForge reads it.") { inventory, graph, list };
        command.SetAction(parse =>
        {
            var diagnostics = new DiagnosticBag();
            var model = InventoryLoader.Load(parse.GetValue(inventory) ?? [], diagnostics);
            ConsoleRenderer.Diagnostics(Consoles.For(env.Error, env), diagnostics.Sorted());
            if (diagnostics.HasErrors)
            {
                return ExitCodes.InvalidInput;
            }

            if (parse.GetValue(graph) == parse.GetValue(list))
            {
                env.Error.WriteLine("error: give exactly one of --graph or --list");
                return ExitCodes.InvalidInput;
            }

            env.Out.WriteLine(parse.GetValue(graph) ? InventoryRenderer.Graph(model).TrimEnd() : InventoryRenderer.ListJson(model));
            return ExitCodes.Success;
        });
        return command;
    }
}
