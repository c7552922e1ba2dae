using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using StateForge.Cli.Rendering;
using StateForge.Diagnostics;
using StateForge.Modules;
using StateForge.Reporting;

namespace StateForge.Cli.Commands;

/// <summary>`stateforge doc [MODULE]`: the modules, or one module's parameters and examples.</summary>
internal static class DocCommand
{
    public static Command Create(CliEnvironment env)
    {
        var name = new Argument<string?>("MODULE") { Description = "A module's name or Ansible FQCN.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("doc", "Show the modules, or one module's parameters, types, defaults and examples.") { name };
        command.SetAction(parse =>
        {
            var console = Consoles.For(env.Out, env);
            // Tables wrap their text: keep them readable in a pipe too.
            console.Profile.Width = Math.Min(console.Profile.Width, 120);
            var catalog = ModuleCatalog.BuiltIn;
            var wanted = parse.GetValue(name);
            if (wanted is null)
            {
                List(console, catalog);
                return ExitCodes.Success;
            }

            if (catalog.Find(wanted) is not { } module)
            {
                var near = Suggestions.Nearest(wanted, catalog.Names);
                env.Error.WriteLine($"error SF0004: unknown module '{wanted}'{(near is null ? "" : $"; did you mean '{near}'?")}");
                return ExitCodes.InvalidInput;
            }

            Describe(console, module);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void List(IAnsiConsole console, ModuleCatalog catalog)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("module").AddColumn("also known as").AddColumn("description");
        foreach (var m in catalog.Modules)
        {
            table.AddRow(Markup.Escape(m.Info.Name), Markup.Escape(string.Join(", ", m.Info.Aliases)), Markup.Escape(m.Info.Description));
        }

        console.Write(table);
    }

    private static void Describe(IAnsiConsole console, IModule module)
    {
        console.MarkupLine($"[bold]{Markup.Escape(module.Info.Name)}[/] — {Markup.Escape(module.Info.Description)}");
        if (module.Info.Aliases.Count > 0)
        {
            console.MarkupLine($"Also: {Markup.Escape(string.Join(", ", module.Info.Aliases))}");
        }

        if (module.RunsOnController)
        {
            console.MarkupLine("Runs on the controller.");
        }

        var schema = ParameterSchema.For(module.ParametersType);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("parameter").AddColumn("type").AddColumn("required").AddColumn("default").AddColumn("choices").AddColumn("description");
        foreach (var p in schema.Parameters)
        {
            var name = p.Doc.Aliases.Length > 0 ? $"{p.Name} (aliases: {string.Join(", ", p.Doc.Aliases)})" : p.Name;
            table.AddRow(
                Markup.Escape(name),
                Markup.Escape(p.TypeName),
                p.Doc.Required ? "yes" : "",
                Markup.Escape(Default(p.DefaultValue)),
                Markup.Escape(string.Join(", ", p.Choices)),
                Markup.Escape(p.Doc.Description));
        }

        console.Write(table);
        foreach (var group in schema.MutuallyExclusive)
        {
            console.MarkupLine($"Mutually exclusive: {Markup.Escape(string.Join(", ", group))}");
        }

        foreach (var group in schema.RequiredOneOf)
        {
            console.MarkupLine($"One of these is required: {Markup.Escape(string.Join(", ", group))}");
        }

        console.WriteLine();
        console.MarkupLine("[bold]Examples[/]");
        console.WriteLine(module.Examples.Trim());
    }

    private static string Default(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        System.Collections.IEnumerable e => string.Join(", ", e.Cast<object?>()),
        Enum e => ParameterSchema.SnakeCase(e.ToString()),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
