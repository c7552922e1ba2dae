using System.Reflection;
using StateForge.Diagnostics;
using StateForge.Modules;
using StateForge.Parsing;
using StateForge.Validation;

namespace StateForge.Tests.Catalog;

/// <summary>Holds the module catalog honest: every module registered, documented, uniquely named, with examples that validate.</summary>
public sealed class ModuleCatalogTests
{
    private static readonly ModuleCatalog Catalog = ModuleCatalog.BuiltIn;

    public static TheoryData<string> ModuleNames() => [.. Catalog.Modules.Select(m => m.Info.Name)];

    [Fact]
    public void EveryModuleClass_IsSealedAndRegistered()
    {
        var types = typeof(IModule).Assembly.GetTypes()
            .Where(t => typeof(IModule).IsAssignableFrom(t) && t is { IsAbstract: false, IsClass: true })
            .ToList();
        types.Should().NotBeEmpty();
        types.Should().OnlyContain(t => t.IsSealed && t.GetCustomAttribute<ModuleAttribute>() != null);
        Catalog.Modules.Select(m => m.GetType()).Should().BeEquivalentTo(types);
    }

    [Fact]
    public void NamesAndAliases_AreUnique()
    {
        var all = Catalog.Modules.SelectMany(m => m.Info.Aliases.Prepend(m.Info.Name)).ToList();
        all.Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void EveryParameter_HasADescription_AndAParamsRecord(string name)
    {
        var module = Catalog.Find(name)!;
        module.Info.Description.Should().NotBeNullOrWhiteSpace();
        var schema = ParameterSchema.For(module.ParametersType);
        schema.Parameters.Should().OnlyContain(p => !string.IsNullOrWhiteSpace(p.Doc.Description), $"every parameter of {name} is documented");
        schema.ByName.Keys.Should().OnlyHaveUniqueItems();
        foreach (var group in schema.MutuallyExclusive.Concat(schema.RequiredOneOf))
        {
            group.Should().OnlyContain(n => schema.ByName.ContainsKey(n), $"{name} names only its own parameters in rules");
        }
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Examples_AreTasksThatValidate(string name)
    {
        var module = Catalog.Find(name)!;
        module.Examples.Should().NotBeNullOrWhiteSpace();
        var dir = Directory.CreateTempSubdirectory("sf-example-").FullName;
        try
        {
            var tasks = string.Join('\n', module.Examples.Split('\n').Select(l => "    " + l));
            File.WriteAllText(Path.Combine(dir, "example.yml"), $"- hosts: all\n  tasks:\n{tasks}\n");
            var d = new DiagnosticBag();
            var playbook = new PlaybookLoader(Catalog, d).Load(Path.Combine(dir, "example.yml"));
            d.Where(x => x.Code is not ("SF0011" or "SF0021")).Should().BeEmpty($"the examples of {name} are valid");
            PlaybookLoader.Flatten(playbook.Plays.Single().Tasks).Should().Contain(t => t.Module == module);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void DiagnosticCodes_AreUnique()
    {
        var factories = typeof(DiagnosticCatalog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(Diagnostic));
        var codes = new List<string>();
        foreach (var f in factories)
        {
            var args = f.GetParameters().Select(p => p.ParameterType switch
            {
                var t when t == typeof(SourceSpan) => (object?)SourceSpan.None,
                var t when t == typeof(SourceSpan?) => null,
                var t when t == typeof(string) => "x",
                var t when t == typeof(int) => 1,
                var t when t == typeof(long) => 1L,
                var t when t == typeof(IEnumerable<string>) => new[] { "a" },
                var t => throw new InvalidOperationException($"no sample for {t}"),
            }).ToArray();
            codes.Add(((Diagnostic)f.Invoke(null, args)!).Code);
        }

        codes.Should().OnlyHaveUniqueItems();
    }
}
