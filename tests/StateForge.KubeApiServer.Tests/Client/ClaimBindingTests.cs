using k8s;
using k8s.Models;
using StateForge.KubeApiServer.Hosting;
using StateForge.KubeApiServer.Tests.Support;

namespace StateForge.KubeApiServer.Tests.Client;

public sealed class ClaimBindingTests
{
    [Fact]
    public async Task Claim_BindsOnlyAfterTheBinderDelay_ToTheSmallestFittingVolume()
    {
        await using var lab = await Lab.StartAsync(new KubeApiTestServerOptions { BinderDelay = TimeSpan.FromMilliseconds(600) });
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("big", "50Gi"));
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("small", "10Gi"));
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("tiny", "1Gi"));

        var created = await lab.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Manifests.Claim("db"), "default");
        await Task.Delay(200);
        var early = await lab.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("db", "default");
        var bound = await Eventually.WaitAsync(
            () => lab.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("db", "default"), c => c.Status.Phase == "Bound");

        created.Status.Phase.Should().Be("Pending");
        created.Metadata.Finalizers.Should().Equal("kubernetes.io/pvc-protection");
        early.Status.Phase.Should().Be("Pending");
        bound.Status.Phase.Should().Be("Bound");
        bound.Spec.VolumeName.Should().Be("small");
        bound.Status.Capacity["storage"].ToString().Should().Be("10Gi", "the claim reports the volume's size, not its request");
        bound.Metadata.Annotations.Should().Contain("pv.kubernetes.io/bind-completed", "yes")
            .And.Contain("pv.kubernetes.io/bound-by-controller", "yes");
        var volume = await lab.Client.CoreV1.ReadPersistentVolumeAsync("small");
        volume.Status.Phase.Should().Be("Bound");
        volume.Spec.ClaimRef.Name.Should().Be("db");
        volume.Spec.ClaimRef.NamespaceProperty.Should().Be("default");
        volume.Spec.ClaimRef.Uid.Should().Be(created.Metadata.Uid);
        volume.Metadata.Annotations.Should().Contain("pv.kubernetes.io/bound-by-controller", "yes");
    }

    [Fact]
    public async Task Claim_WithoutAFittingVolume_StaysPending()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("rwo", "10Gi", "ReadWriteOnce"));

        await lab.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Manifests.Claim("db", "5Gi", "ReadWriteMany"), "default");
        await Task.Delay(150);

        var claim = await lab.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("db", "default");
        claim.Status.Phase.Should().Be("Pending");
    }

    [Fact]
    public async Task DeletingTheClaim_ReleasesARetainedVolume_KeepingItsClaimRef()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));
        await lab.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Manifests.Claim("db"), "default");
        await Eventually.WaitAsync(() => lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1"), v => v.Status.Phase == "Bound");

        var deleted = await lab.Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("db", "default");
        var released = await Eventually.WaitAsync(() => lab.Client.CoreV1.ReadPersistentVolumeAsync("pv1"), v => v.Status.Phase == "Released");

        deleted.Metadata.Name.Should().Be("db");
        released.Status.Phase.Should().Be("Released");
        released.Spec.ClaimRef.Name.Should().Be("db");
    }

    [Fact]
    public async Task Claim_SpecChangeWhilePending_IsImmutable()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Manifests.Claim("db"), "default");

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
            new V1Patch("""{"spec":{"accessModes":["ReadWriteOnce"]}}""", V1Patch.PatchType.MergePatch), "db", "default"));

        code.Should().Be(422);
        status["message"]!.GetValue<string>().Should().EndWith(
            "spec: Forbidden: spec is immutable after creation except resources.requests for bound claims");
    }

    [Fact]
    public async Task BoundClaimOnAManualVolume_CannotGrow()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreatePersistentVolumeAsync(Manifests.NfsVolume("pv1"));
        await lab.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Manifests.Claim("db"), "default");
        await Eventually.WaitAsync(
            () => lab.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("db", "default"), c => c.Status.Phase == "Bound");

        var (code, status) = await ApiErrors.CatchAsync(() => lab.Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
            new V1Patch("""{"spec":{"resources":{"requests":{"storage":"8Gi"}}}}""", V1Patch.PatchType.StrategicMergePatch), "db", "default"));

        code.Should().Be(403);
        status["reason"]!.GetValue<string>().Should().Be("Forbidden");
    }

    [Fact]
    public async Task StatusSubresource_WritesOnlyTheStatus()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Manifests.Claim("db"), "default");
        var live = await lab.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("db", "default");
        live.Status.Phase = "Lost";
        live.Spec.AccessModes = ["ReadWriteOnce"];

        var written = await lab.Client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(live, "db", "default");

        written.Status.Phase.Should().Be("Lost");
        written.Spec.AccessModes.Should().Equal("ReadWriteMany");
    }
}
