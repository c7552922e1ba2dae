using System.Reflection;
using System.Text.RegularExpressions;
using StateForge.Diagnostics;
using StateForge.Modules;
using StateForge.Parsing;

namespace StateForge.Tests.Planning;

/// <summary>Checks a module's documentation: every parameter described, examples that parse and use only known parameters.</summary>
internal static partial class ModuleDocs
{
    public static void AssertConsistent(IModule module)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in module.ParametersType.GetProperties())
        {
            var param = property.GetCustomAttribute<ParamAttribute>();
            param.Should().NotBeNull($"{module.Info.Name}.{property.Name} needs [Param]");
            param!.Description.Should().NotBeNullOrWhiteSpace();
            names.Add(SnakeCase(property.Name));
            names.UnionWith(param.Aliases);
        }

        var diagnostics = new DiagnosticBag();
        var root = YamlLoader.Load("examples.yml", module.Examples, diagnostics);
        diagnostics.Should().BeEmpty();
        var tasks = root.Should().BeOfType<YSequence>().Subject.Items;
        tasks.Should().NotBeEmpty();
        foreach (var task in tasks.Cast<YMapping>())
        {
            var body = task[module.Info.Name] ?? task[module.Info.Aliases[0]];
            body.Should().NotBeNull($"each example uses {module.Info.Name}");
            var keys = (body as YMapping)?.Entries.Select(e => e.Key.Value).ToList() ?? [];
            if (task["args"] is YMapping args)
            {
                keys.AddRange(args.Entries.Select(e => e.Key.Value));
            }

            keys.Should().OnlyContain(k => names.Contains(k), $"examples of {module.Info.Name} use its parameters");
        }
    }

    private static string SnakeCase(string name) => Upper().Replace(name, "_$1").TrimStart('_').ToLowerInvariant();

    [GeneratedRegex("([A-Z])")]
    private static partial Regex Upper();
}
