using System.Collections.Immutable;
using StateForge.Transport.Kubernetes;

namespace StateForge.Tests.Cluster;

public sealed class ManifestAndSettingsTests
{
    [Fact]
    public void Read_SplitsDocuments_UnpacksLists_AndTypesScalars()
    {
        const string text = """
            apiVersion: v1
            kind: Service
            metadata:
              name: a
            spec:
              ports:
              - port: 5000
                targetPort: "5000"
            ---
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Namespace
              metadata:
                name: b
            ---
            """;

        var objects = ManifestReader.Read(text, "objects.yml");

        objects.Select(o => o.Name()).Should().Equal("a", "b");
        objects[0]["spec"]!["ports"]![0]!["port"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.Number);
        objects[0]["spec"]!["ports"]![0]!["targetPort"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.String);
    }

    [Fact]
    public void Read_BadYaml_NamesTheFileAndLine()
    {
        var act = () => ManifestReader.Read("a: b\n  c: d\n", "objects.yml");

        act.Should().Throw<FormatException>().WithMessage("objects.yml(2,*");
    }

    [Fact]
    public void Settings_PreferTheParameter_ThenTheVariables_ThenTheEnvironment()
    {
        var vars = new Dictionary<string, object?> { ["kubeconfig"] = "/vars/kc", ["context"] = "from-vars" };
        string? Env(string name) => name == "KUBECONFIG" ? "/env/a:/env/b" : null;

        KubeConnectionSettings.Resolve("/param/kc", null, null, null, null, null, vars, Env).Kubeconfig.Should().Equal("/param/kc");
        var fromVars = KubeConnectionSettings.Resolve(null, null, null, null, null, null, vars, Env);
        fromVars.Kubeconfig.Should().Equal("/vars/kc");
        fromVars.Context.Should().Be("from-vars");
        KubeConnectionSettings.Resolve(null, "ctx", null, null, null, null, ImmutableDictionary<string, object?>.Empty, Env)
            .Should().Match<KubeConnectionSettings>(s => s.Context == "ctx" && s.Kubeconfig.SequenceEqual(new[] { "/env/a", "/env/b" }));
    }

    [Fact]
    public void Settings_ValidateCerts_StaysUnsetUnlessWritten()
    {
        var vars = ImmutableDictionary<string, object?>.Empty;
        KubeConnectionSettings.Resolve("/kc", null, null, null, null, null, vars, _ => null).ValidateCerts.Should().BeNull();
        KubeConnectionSettings.Resolve("/kc", null, null, null, null, false, vars, _ => null).ValidateCerts.Should().BeFalse();
    }
}
