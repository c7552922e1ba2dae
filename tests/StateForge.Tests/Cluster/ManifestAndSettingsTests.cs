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

    [Fact]
    public void Settings_ApiRetriesAndTimeout_FromVariablesOrEnvironment_ShapeTheRetryPolicy()
    {
        var vars = new Dictionary<string, object?> { ["stateforge_k8s_retries"] = 7, ["stateforge_k8s_timeout"] = "2.5" };
        var settings = KubeConnectionSettings.Resolve("/kc", null, null, null, null, null, vars, _ => null);
        settings.ApiRetries.Should().Be(7);
        settings.ApiTimeout.Should().Be(TimeSpan.FromSeconds(2.5));
        var policy = settings.Apply(KubeRetryPolicy.Default);
        policy.Attempts.Should().Be(8, "seven retries after the first attempt");
        policy.RequestTimeout.Should().Be(TimeSpan.FromSeconds(2.5));
        policy.ConflictAttempts.Should().Be(KubeRetryPolicy.Default.ConflictAttempts);

        string? Env(string name) => name == "STATEFORGE_K8S_RETRIES" ? "0" : null;
        var fromEnv = KubeConnectionSettings.Resolve("/kc", null, null, null, null, null, ImmutableDictionary<string, object?>.Empty, Env);
        fromEnv.Apply(KubeRetryPolicy.Default).Attempts.Should().Be(1, "0 retries: one attempt");
        fromEnv.Key.Should().NotBe(settings.Key, "another policy is another client");

        var unset = KubeConnectionSettings.Resolve("/kc", null, null, null, null, null, ImmutableDictionary<string, object?>.Empty, _ => null);
        unset.Apply(KubeRetryPolicy.Default).Should().Be(KubeRetryPolicy.Default);
    }

    [Theory]
    [InlineData("stateforge_k8s_retries", "lots", "stateforge_k8s_retries must be a whole number from 0 to 20, not 'lots'")]
    [InlineData("stateforge_k8s_retries", "1.5", "stateforge_k8s_retries must be a whole number from 0 to 20, not '1.5'")]
    [InlineData("stateforge_k8s_retries", "21", "stateforge_k8s_retries must be a whole number from 0 to 20, not '21'")]
    [InlineData("stateforge_k8s_timeout", "0", "stateforge_k8s_timeout must be a number of seconds from 1 to 3600, not '0'")]
    public void Settings_BadApiRetriesOrTimeout_NameTheVariable(string name, string value, string message)
    {
        var vars = new Dictionary<string, object?> { [name] = value };
        var resolve = () => KubeConnectionSettings.Resolve("/kc", null, null, null, null, null, vars, _ => null);
        resolve.Should().Throw<FormatException>().WithMessage(message);
    }
}
