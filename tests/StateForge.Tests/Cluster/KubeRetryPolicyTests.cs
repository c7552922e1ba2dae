using StateForge.Transport.Kubernetes;

namespace StateForge.Tests.Cluster;

public sealed class KubeRetryPolicyTests
{
    [Theory]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(3, 800)]
    [InlineData(4, 1600)]
    [InlineData(9, 1600)]
    public void Backoff_DoublesUpToTheCap_WithHalfOfItRandom(int attempt, double ceiling)
    {
        var policy = KubeRetryPolicy.Default;

        var waits = Enumerable.Range(0, 200).Select(_ => policy.Backoff(attempt, null).TotalMilliseconds).ToList();

        waits.Should().OnlyContain(w => w >= ceiling / 2 && w <= ceiling);
        waits.Distinct().Should().HaveCountGreaterThan(1, "jitter spreads clients that failed together");
    }

    [Fact]
    public void Backoff_HonoursRetryAfter_UpToItsCap()
    {
        var policy = KubeRetryPolicy.Default;

        policy.Backoff(1, TimeSpan.FromSeconds(5)).Should().Be(TimeSpan.FromSeconds(5));
        policy.Backoff(1, TimeSpan.FromMinutes(10)).Should().Be(TimeSpan.FromSeconds(30));
        policy.Backoff(4, TimeSpan.FromMilliseconds(1)).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(800), "a shorter Retry-After does not shorten the backoff");
    }

    [Fact]
    public void Forbidden_WithTheRequest_NamesVerbResourceNamespaceUserAndContext()
    {
        var subject = new ApiStatus.Subject("PersistentVolumeClaim", "default", "db");

        var error = ApiStatus.From(403, """{"kind":"Status","reason":"Forbidden","message":"nope","code":403}""", subject, "prod",
            new ApiStatus.Request("delete", "persistentvolumeclaims", "default", "deployer"));

        error.Message.Should().Be("PersistentVolumeClaim \"default/db\": Forbidden: nope (delete persistentvolumeclaims in namespace \"default\" as user \"deployer\" of context \"prod\")");
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(429, true)]
    [InlineData(0, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(422, false)]
    [InlineData(501, false)]
    public void Transient_IsOverloadFailureOrNoAnswer(int code, bool transient)
    {
        new KubeApiException(code, "X", "m", []).IsTransient.Should().Be(transient);
    }
}
