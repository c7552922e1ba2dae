using System.Text.Json.Nodes;
using StateForge.Transport.Kubernetes;

namespace StateForge.Tests.Cluster;

public sealed class ObjectYamlTests
{
    [Fact]
    public void Render_WritesBlockYaml_LikeKubectl()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"registry-volume","labels":{"storage":"registry"}},
             "spec":{"capacity":{"storage":"5Gi"},"accessModes":["ReadWriteMany"],"nfs":{"server":"nfs","path":"/exports/registry"},
             "volumes":[{"name":"v","emptyDir":{}}],"empty":[],"port":5000,"ro":false}}
            """);

        ObjectYaml.Render(obj).Should().Be("""
            apiVersion: v1
            kind: PersistentVolume
            metadata:
              name: registry-volume
              labels:
                storage: registry
            spec:
              capacity:
                storage: 5Gi
              accessModes:
              - ReadWriteMany
              nfs:
                server: nfs
                path: /exports/registry
              volumes:
              - name: v
                emptyDir: {}
              empty: []
              port: 5000
              ro: false

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("5000", "\"5000\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("", "\"\"")]
    [InlineData(":5000", "\":5000\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("two\nlines", "\"two\\nlines\"")]
    [InlineData("-x", "-x")]
    [InlineData("- x", "\"- x\"")]
    [InlineData("null", "\"null\"")]
    public void Scalar_QuotesWhatWouldReadBackAsSomethingElse(string text, string expected) =>
        ObjectYaml.Scalar(text).Should().Be(expected);
}
