using StateForge.Diagnostics;
using StateForge.Modules;
using StateForge.Modules.Host;
using StateForge.Parsing;
using StateForge.Validation;

namespace StateForge.Tests.Modules.Iptables;

/// <summary>The iptables, exports and sysctl modules are registered, documented, and their examples bind and validate.</summary>
public sealed class NetModulesCatalogTests
{
    public static TheoryData<string> Names => ["iptables", "exports", "sysctl"];

    [Theory]
    [MemberData(nameof(Names))]
    public void Module_IsInTheCatalog_WithADescriptionOnEveryParameter(string name)
    {
        var module = ModuleCatalog.BuiltIn.Find(name);

        module.Should().NotBeNull();
        module!.Info.Description.Should().NotBeNullOrWhiteSpace();
        var schema = ParameterSchema.For(module.ParametersType);
        schema.Parameters.Should().NotBeEmpty();
        schema.Parameters.Should().OnlyContain(p => p.Doc.Description.Length > 10, "every parameter is documented");
    }

    [Fact]
    public void AnsibleNames_FindTheModules()
    {
        ModuleCatalog.BuiltIn.Find("ansible.builtin.iptables").Should().BeOfType<IptablesModule>();
        ModuleCatalog.BuiltIn.Find("ansible.posix.sysctl").Should().BeOfType<SysctlModule>();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Examples_AreYamlTasks_WhoseArgumentsBindAndValidate(string name)
    {
        var module = ModuleCatalog.BuiltIn.Find(name)!;
        var diagnostics = new DiagnosticBag();

        var tasks = YamlLoader.Load("examples.yml", module.Examples, diagnostics)?.ToPlain() as IList<object?>;

        diagnostics.Should().BeEmpty();
        tasks.Should().NotBeNullOrEmpty();
        foreach (var task in tasks!.Cast<IDictionary<string, object?>>())
        {
            var args = (IDictionary<string, object?>)task[name]!;
            var errors = new List<ConversionError>();
            var record = ValueConverter.BindRecord(module.ParametersType, args.AsReadOnly(), "", errors, lenient: true);
            errors.Should().BeEmpty($"example '{task["name"]}' binds");
            if (!ArgumentChecker.ContainsTemplate(args))
            {
                module.Validate(record!).Should().BeEmpty($"example '{task["name"]}' is valid");
            }
        }
    }
}
