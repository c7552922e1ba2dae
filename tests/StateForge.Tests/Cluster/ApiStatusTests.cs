using StateForge.Transport.Kubernetes;

namespace StateForge.Tests.Cluster;

public sealed class ApiStatusTests
{
    private static readonly ApiStatus.Subject Pv = new("PersistentVolume", null, "registry-volume");

    [Fact]
    public void Invalid_ListsTheFieldCauses()
    {
        const string body = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"Invalid","code":422,
             "message":"PersistentVolume \"registry-volume\" is invalid: [spec.capacity: Required value, spec.accessModes: Required value]",
             "details":{"name":"registry-volume","kind":"PersistentVolume","causes":[
               {"reason":"FieldValueRequired","message":"Required value","field":"spec.capacity"},
               {"reason":"FieldValueRequired","message":"Required value","field":"spec.accessModes"}]}}
            """;

        var error = ApiStatus.From(422, body, Pv, "lab");

        error.Reason.Should().Be("Invalid");
        error.Causes.Should().HaveCount(2);
        error.Message.Should().Be(
            "PersistentVolume \"registry-volume\": Invalid: PersistentVolume \"registry-volume\" is invalid: [spec.capacity: Required value, spec.accessModes: Required value]\n" +
            "  - spec.capacity: Required value\n" +
            "  - spec.accessModes: Required value");
    }

    [Fact]
    public void Unauthorized_NamesTheContext()
    {
        var error = ApiStatus.From(401, """{"kind":"Status","reason":"Unauthorized","message":"Unauthorized","code":401}""", Pv, "prod-admin");

        error.Message.Should().StartWith("authentication failed for context \"prod-admin\"");
    }

    [Fact]
    public void Forbidden_WithoutCauses_NamesTheContextsUser()
    {
        var error = ApiStatus.From(403, """{"kind":"Status","reason":"Forbidden","message":"persistentvolumes \"registry-volume\" is forbidden: User \"dev\" cannot get resource","code":403}""", Pv, "dev");

        error.Message.Should().EndWith("(user of context \"dev\")");
    }

    [Fact]
    public void NonStatusBody_IsShownRaw_WithAReasonFromTheCode()
    {
        var error = ApiStatus.From(502, "<html>Bad Gateway</html>", Pv, "lab");

        error.Message.Should().Be("PersistentVolume \"registry-volume\": HTTP 502: <html>Bad Gateway</html>");
    }

    [Fact]
    public void UpdateConflict_IsRetryable_ButApplyConflictsAreNot()
    {
        ApiStatus.From(409, """{"kind":"Status","reason":"Conflict","message":"the object has been modified","code":409}""", Pv, null)
            .IsUpdateConflict.Should().BeTrue();
        ApiStatus.From(409, """{"kind":"Status","reason":"Conflict","message":"Apply failed with 1 conflict","code":409,"details":{"causes":[{"reason":"FieldManagerConflict","field":".spec.replicas"}]}}""", Pv, null)
            .IsUpdateConflict.Should().BeFalse();
        ApiStatus.From(409, """{"kind":"Status","reason":"AlreadyExists","message":"exists","code":409}""", Pv, null)
            .IsUpdateConflict.Should().BeFalse();
    }
}
