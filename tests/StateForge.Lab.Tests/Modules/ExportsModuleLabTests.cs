using StateForge.Modules.Host;
using static StateForge.Lab.Modules.ModuleDriver;

namespace StateForge.Lab.Modules;

/// <summary>
/// The exports module on a real host (host3 of the shared lab) with the real exportfs: without a
/// kernel nfsd, `exportfs -ra` still fills the export table that `exportfs -v` lists.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ExportsModuleLabTests(LabFixture fixture) : IAsyncLifetime
{
    private const string Exports = "/etc/exports";
    private const string Header = "# exports of this lab host\n#   see exports(5)\n";
    private static readonly SemaphoreSlim Install = new(1, 1);

    private readonly LabHosts lab = fixture.Lab;
    private readonly ExportsModule module = new();
    private ModuleDriver host = null!;

    private LabHost Host => lab.Hosts[2];

    private static IReadOnlyDictionary<string, object?> RegVol(string clients = "*(rw,sync,all_squash)") => Args("path", "/srv/regvol", "clients", clients);

    public async Task InitializeAsync()
    {
        await EnsureExportfsAsync();
        host = await ConnectAsync(lab, Host);
        await host.WriteAsync(Exports, Header);
        await host.ExecAsync("sh", "-c", "mkdir -p /srv/regvol && exportfs -ra && rm -f /tmp/pwned");
    }

    public async Task DisposeAsync() =>
        await lab.ExecAsync(Host, "sh", "-c", ": > /etc/exports; exportfs -ra; rm -rf /srv/regvol /tmp/pwned");

    [Fact]
    public async Task RegistryVolume_Applied_Idempotent_LiveAndFileDriftSeenSeparately_AndRepaired()
    {
        var applied = await host.ApplyAsync(module, RegVol());

        applied.Failed.Should().BeFalse(applied.Message);
        Summary(applied).Should().Equal(("exports /srv/regvol file /etc/exports", true), ("exports /srv/regvol live export table", true));
        (await host.ExecAsync("cat", Exports)).Should().Be(Header + "/srv/regvol *(rw,sync,all_squash)\n");
        (await host.ExecAsync("exportfs", "-v")).Should().MatchRegex(@"/srv/regvol\s+<world>\(sync,.*,rw,root_squash,all_squash\)");
        host.Refresh();
        (await host.PlanAsync(module, RegVol("*(all_squash,sync,rw)"))).Changed.Should().BeFalse("option order does not matter");

        await host.ExecAsync("exportfs", "-u", "*:/srv/regvol");
        host.Refresh();
        Summary(await host.PlanAsync(module, RegVol(), checkMode: true)).Should().Equal(
            ("exports /srv/regvol file /etc/exports", false), ("exports /srv/regvol live export table", true));
        host.Refresh();
        (await host.ApplyAsync(module, RegVol())).Changed.Should().BeTrue();
        host.Refresh();
        (await host.PlanAsync(module, RegVol())).Changed.Should().BeFalse("exportfs -ra put it back");

        await host.ExecAsync("sed", "-i", "s/,all_squash/,no_all_squash/", Exports);
        host.Refresh();
        Summary(await host.PlanAsync(module, RegVol(), checkMode: true)).Should().Equal(
            ("exports /srv/regvol file /etc/exports", true), ("exports /srv/regvol live export table", false));
        host.Refresh();
        (await host.ApplyAsync(module, RegVol())).Changed.Should().BeTrue();
        (await host.ExecAsync("cat", Exports)).Should().Be(Header + "/srv/regvol *(rw,sync,all_squash)\n");

        host.Refresh();
        var removed = await host.ApplyAsync(module, Args("path", "/srv/regvol", "state", "absent"));
        Summary(removed).Should().Equal(("exports /srv/regvol file /etc/exports", true), ("exports /srv/regvol live export table", true));
        (await host.ExecAsync("exportfs", "-v")).Should().NotContain("/srv/regvol");
        (await host.ExecAsync("cat", Exports)).Should().Be(Header);
    }

    [Fact]
    public async Task BadOption_IsAValidationError_AndAMissingDirectory_FailsWithExportfsOwnError()
    {
        Errors(module, RegVol("*(rw,sync,bogus)")).Should().Equal("client *: unknown export option 'bogus' (exports(5) knows " +
            "acl, all_squash, async, auth_nlm, crossmnt, hide, insecure, insecure_locks, mountpoint, mp, no_acl, no_all_squash, no_auth_nlm, " +
            "no_pnfs, no_root_squash, no_subtree_check, no_wdelay, nocrossmnt, nohide, nordirplus, pnfs, ro, root_squash, rw, secure, " +
            "secure_locks, security_label, subtree_check, sync, wdelay, and anonuid=, anongid=, fsid=, mountpoint=, mp=, refer=, replicas=, sec=)");

        var failed = await host.ApplyAsync(module, Args("path", "/srv/missing-dir", "clients", "10.0.0.1(rw)"));

        failed.Failed.Should().BeTrue();
        failed.Message.Should().Be("exportfs -ra failed (rc 1): exportfs: Failed to stat /srv/missing-dir: No such file or directory");
    }

    [Fact]
    public async Task HostileValues_AreRejectedOrPassedLiterally_AndNoCommandRunsFromThem()
    {
        Errors(module, RegVol("`touch${IFS}/tmp/pwned`(rw)")).Should().NotBeEmpty();
        Errors(module, RegVol("*(rw;touch${IFS}/tmp/pwned)")).Should().NotBeEmpty();
        Errors(module, RegVol("*(rw)\n/ *(rw,no_root_squash)")).Should().NotBeEmpty();
        Errors(module, Args("path", "/srv/regvol\n/ *(rw)", "clients", "*(rw)")).Should().NotBeEmpty();
        Errors(module, Args("path", "/srv/\"x\"", "clients", "*(rw)")).Should().NotBeEmpty();
        Errors(module, Args("path", "/srv/regvol", "clients", "*(rw)", "file", "/etc/exports;touch /tmp/pwned")).Should().NotBeEmpty();

        var path = "/srv/$(touch /tmp/pwned) `touch /tmp/pwned`;x";
        var failed = await host.ApplyAsync(module, Args("path", path, "clients", "*(rw)"));

        failed.Message.Should().Be($"exportfs -ra failed (rc 1): exportfs: Failed to stat {path}: No such file or directory");
        (await host.ExecAsync("cat", Exports)).Should().Be(Header + $"\"{path}\" *(rw)\n");
        (await host.ExistsAsync("/tmp/pwned")).Should().BeFalse();
    }

    /// <summary>exportfs comes from nfs-kernel-server; lab hosts see the machine's /usr, so it is installed there once.</summary>
    private static async Task EnsureExportfsAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (System.IO.File.Exists("/usr/sbin/exportfs"))
            {
                return;
            }

            var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            var result = await ProcessRunner.RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "nfs-kernel-server"], environment: env);
            result.EnsureSuccess("apt-get install nfs-kernel-server");
        }
        finally
        {
            Install.Release();
        }
    }
}
