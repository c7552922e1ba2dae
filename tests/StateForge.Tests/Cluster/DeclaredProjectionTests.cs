using System.Text.Json.Nodes;
using StateForge.Transport.Kubernetes;

namespace StateForge.Tests.Cluster;

public sealed class DeclaredProjectionTests
{
    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    [Fact]
    public void Project_KeepsOnlyDeclaredPaths()
    {
        var live = Json("""{"metadata":{"name":"x","uid":"u","resourceVersion":"7"},"spec":{"capacity":{"storage":"5Gi"},"volumeMode":"Filesystem"},"status":{"phase":"Bound"}}""");
        var declared = Json("""{"metadata":{"name":"x"},"spec":{"capacity":{"storage":"5Gi"}}}""");

        var projected = DeclaredProjection.Project(live, declared);

        projected!.ToJsonString().Should().Be("""{"metadata":{"name":"x"},"spec":{"capacity":{"storage":"5Gi"}}}""");
        DeclaredProjection.Equivalent(projected, declared).Should().BeTrue();
    }

    [Fact]
    public void Project_MatchesListItemsByMergeKey_IgnoringOrderAndUndeclaredItems()
    {
        var live = Json("""{"containers":[{"name":"sidecar","image":"s"},{"name":"app","image":"a:1","terminationMessagePath":"/dev/termination-log"}]}""");
        var declared = Json("""{"containers":[{"name":"app","image":"a:1"}]}""");

        var projected = DeclaredProjection.Project(live, declared);

        projected!.ToJsonString().Should().Be("""{"containers":[{"name":"app","image":"a:1"}]}""");
    }

    [Fact]
    public void Project_OfAMissingListItem_ShowsAsDrift()
    {
        var live = Json("""{"env":[{"name":"A","value":"1"}]}""");
        var declared = Json("""{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}""");

        DeclaredProjection.Equivalent(DeclaredProjection.Project(live, declared), declared).Should().BeFalse();
    }

    [Fact]
    public void ScalarLists_AreAtomic()
    {
        var live = Json("""{"accessModes":["ReadWriteOnce","ReadOnlyMany"]}""");
        var declared = Json("""{"accessModes":["ReadWriteOnce"]}""");

        DeclaredProjection.Equivalent(DeclaredProjection.Project(live, declared), declared).Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"requests":{"storage":"1Gi"}}""", """{"requests":{"storage":"1024Mi"}}""", true)]
    [InlineData("""{"capacity":{"storage":"1Gi"}}""", """{"capacity":{"storage":"1G"}}""", false)]
    [InlineData("""{"port":5000}""", """{"port":5000.0}""", true)]
    [InlineData("""{"targetPort":"5000"}""", """{"targetPort":5000}""", true)]
    [InlineData("""{"label":"01"}""", """{"label":"1"}""", false)]
    [InlineData("""{"a":null}""", """{}""", true)]
    [InlineData("""{"a":true}""", """{"a":"true"}""", false)]
    public void Equivalent_ComparesMeaning(string a, string b, bool expected) =>
        DeclaredProjection.Equivalent(Json(a), Json(b)).Should().Be(expected);

    [Fact]
    public void ServerNoise_IsRemoved()
    {
        var live = (JsonObject)Json("""{"metadata":{"name":"x","uid":"u","resourceVersion":"7","generation":2,"creationTimestamp":"t","managedFields":[],"labels":{"a":"b"}},"spec":{},"status":{"phase":"Bound"}}""");

        ServerNoise.Clean(live).ToJsonString().Should().Be("""{"metadata":{"name":"x","labels":{"a":"b"}},"spec":{}}""");
        live["status"].Should().NotBeNull("the original is not touched");
    }
}
