using StateForge.Diagnostics;
using StateForge.Modules;
using StateForge.Modules.Host;
using StateForge.Validation;

namespace StateForge.Tests.Modules;

/// <summary>The examples `stateforge doc` shows for the package, service and seboolean modules load as a playbook, arguments validated.</summary>
public sealed class ModuleExamplesTests
{
    public static TheoryData<string> Names => ["package", "apt", "dnf", "yum", "service", "systemd", "sysvinit", "seboolean"];

    [Theory]
    [MemberData(nameof(Names))]
    public void Examples_LoadWithoutDiagnostics(string name)
    {
        var module = ModuleCatalog.BuiltIn.Find(name)!;
        var dir = Directory.CreateTempSubdirectory("sf-examples-").FullName;
        try
        {
            var path = Path.Combine(dir, "examples.yml");
            var tasks = string.Join('\n', module.Examples.Split('\n').Select(l => "    " + l));
            File.WriteAllText(path, "- hosts: all\n  tasks:\n" + tasks + "\n");
            var diagnostics = new DiagnosticBag();

            var playbook = new PlaybookLoader(ModuleCatalog.BuiltIn, diagnostics).Load(path);

            diagnostics.Should().BeEmpty();
            PlaybookLoader.Flatten(playbook.Plays.Single().Tasks).Should().NotBeEmpty().And.OnlyContain(t => t.Module.GetType() == module.GetType());
            module.Info.Description.Should().NotBeNullOrWhiteSpace();
            ParameterSchema.For(module.ParametersType).Parameters.Should().OnlyContain(p => p.Doc.Description.Length > 20, "every parameter is described");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ModuleTypes_AreSealed()
    {
        new[] { typeof(PackageModule), typeof(AptModule), typeof(DnfModule), typeof(YumModule), typeof(ServiceModule), typeof(SystemdModule), typeof(SysvinitModule), typeof(SeBooleanModule) }
            .Should().OnlyContain(t => t.IsSealed);
    }
}
