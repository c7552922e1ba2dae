using StateForge.Facts;
using StateForge.Modules.Host;
using StateForge.Modules.Host.Exports;
using StateForge.Planning;
using StateForge.Tests.Modules.Iptables;
using StateForge.Transport;

namespace StateForge.Tests.Modules.Exports;

/// <summary>
/// Planning against an /etc/exports with comments, a continued line and default options, and the
/// `exportfs -v` a lab host printed for it (commented.exportfs-v.txt).
/// </summary>
public sealed class ExportsPlanTests
{
    private const string Exports = "/etc/exports";
    private static readonly string[] ExportfsV = ["exportfs", "-v"];
    private readonly ExportsModule module = new();

    private static CannedHost Host(string? live = null) => new CannedHost()
        .File(Exports, CannedHost.Fixture("commented.exports"))
        .Command(ExportfsV, live ?? CannedHost.Fixture("commented.exportfs-v.txt"));

    [Fact]
    public void LiveTable_ParsesShortAndLongPathLines()
    {
        var live = ExportsLiveTable.Parse(CannedHost.Fixture("commented.exportfs-v.txt"));

        live.Select(e => $"{e.Path} {e.Client.Host}").Should().Equal(
            "/srv/pub 10.2.0.1", "/srv/home 10.0.0.0/24", "/srv/pub 10.1.0.0/255.255.0.0", "/srv/regvol <world>", "/srv/with space <world>");
        live[3].Client.Options.Should().Equal("sync", "wdelay", "hide", "no_subtree_check", "sec=sys", "rw", "root_squash", "no_all_squash");
    }

    [Fact]
    public void File_ParsesCommentsContinuationsDefaultsAndQuotes()
    {
        var entries = ExportsFile.Parse(CannedHost.Fixture("commented.exports")).Entries();

        entries.Select(e => e.Path).Should().Equal("/srv/home", "/srv/regvol", "/srv/pub", "/srv/with space");
        entries[0].Comment.Should().Be("# the home directories");
        entries[2].Clients.Select(c => c.ToString()).Should().Equal("10.1.0.0/255.255.0.0(ro,all_squash)", "10.2.0.1(ro,all_squash,rw)");
        (entries[2].FirstLine, entries[2].LastLine).Should().Be((8, 9));
    }

    [Fact]
    public async Task SameOptionsInAnotherOrder_AreNotDrift_InTheFileOrTheLiveTable()
    {
        var plan = await Host().PlanAsync(module, new { path = "/srv/regvol", clients = "*(rw,sync)" });

        plan.Changes.Select(c => (c.Resource, c.IsChange)).Should().Equal(
            ("exports /srv/regvol file /etc/exports", false),
            ("exports /srv/regvol live export table", false));
        plan.Steps.Should().BeEmpty();
    }

    [Fact]
    public async Task NewOptions_ReplaceThePathsLineInPlace_AndReexport()
    {
        var host = Host();

        var plan = await host.PlanAsync(module, new { path = "/srv/regvol", clients = new[] { "*(rw,sync,all_squash)" } });

        plan.Changes.Select(c => (c.Resource, c.Action)).Should().Equal(
            ("exports /srv/regvol file /etc/exports", ChangeAction.Modify),
            ("exports /srv/regvol live export table", ChangeAction.Modify));
        Text(host).Should().Be(CannedHost.Fixture("commented.exports").Replace("/srv/regvol\t*(sync,rw)", "/srv/regvol *(rw,sync,all_squash)", StringComparison.Ordinal));
        plan.Changes[0].Diff.Should().Contain("-/srv/regvol\t*(sync,rw)\n+/srv/regvol *(rw,sync,all_squash)\n");
        plan.Changes[1].Before.Should().Be("* is exported with sync,wdelay,hide,no_subtree_check,sec=sys,rw,root_squash,no_all_squash, not all_squash");
        plan.Steps.Select(s => s.Description).Should().Equal("write /etc/exports", "exportfs -ra");
        plan.Steps[1].Script.Should().Be("exportfs -ra");
    }

    [Fact]
    public async Task ContinuedLineWithDefaults_IsComparedWithDefaultsApplied_AndRewrittenAsOneLine()
    {
        var host = Host();

        var same = await host.PlanAsync(module, new { path = "/srv/pub", clients = "10.1.0.0/16(all_squash,ro) 10.2.0.1(rw,all_squash)" });
        same.Changed.Should().BeFalse("the defaults -ro,all_squash apply to both clients, and the mask /255.255.0.0 is /16");

        await host.PlanAsync(module, new { path = "/srv/pub", clients = "10.1.0.0/16(ro)" });
        Text(host).Should().Contain("\n/srv/pub 10.1.0.0/16(ro)\n\"/srv/with space\" *(ro)\n")
            .And.NotContain("10.2.0.1");
    }

    [Fact]
    public async Task InlineComment_OfTheReplacedLine_IsKept()
    {
        var host = Host();

        await host.PlanAsync(module, new { path = "/srv/home", clients = "10.0.0.0/24(ro,sync,no_subtree_check)" });

        Text(host).Should().Contain("\n/srv/home 10.0.0.0/24(ro,sync,no_subtree_check) # the home directories\n");
    }

    [Fact]
    public async Task NewPath_IsAppended_AndMissingFromTheLiveTable()
    {
        var host = Host();

        var plan = await host.PlanAsync(module, new
        {
            path = "/srv/new",
            clients = new object[]
            {
                "10.0.0.0/24(rw)",
                new Dictionary<string, object?> { ["host"] = "db1.example.com", ["options"] = new List<object?> { "ro", "anonuid=1000" } },
            },
        });

        Text(host).Should().EndWith("\"/srv/with space\" *(ro)\n/srv/new 10.0.0.0/24(rw) db1.example.com(ro,anonuid=1000)\n");
        plan.Changes.Select(c => c.Action).Should().Equal(ChangeAction.Create, ChangeAction.Create);
        plan.Changes[1].Before.Should().Be("10.0.0.0/24 is not in the live export table; db1.example.com is not in the live export table");
    }

    [Fact]
    public async Task LiveDrift_WhenTheFileIsRight_IsItsOwnChange_RepairedByExportfsRa()
    {
        var live = CannedHost.Fixture("commented.exportfs-v.txt").Replace("/srv/regvol   \t<world>(sync,wdelay,hide,no_subtree_check,sec=sys,rw,root_squash,no_all_squash)\n", "", StringComparison.Ordinal);

        var plan = await Host(live).PlanAsync(module, new { path = "/srv/regvol", clients = "*(rw,sync)" });

        plan.Changes.Select(c => (c.Resource, c.Action)).Should().Equal(
            ("exports /srv/regvol file /etc/exports", ChangeAction.None),
            ("exports /srv/regvol live export table", ChangeAction.Create));
        plan.Steps.Select(s => s.Script).Should().Equal("exportfs -ra");
    }

    [Fact]
    public async Task Absent_RemovesTheLines_AndTheLiveEntries()
    {
        var host = Host();

        var plan = await host.PlanAsync(module, new { path = "/srv/pub", state = "absent" });

        Text(host).Should().NotContain("/srv/pub").And.NotContain("10.2.0.1").And.Contain("# Example for NFSv2 and NFSv3:");
        plan.Changes.Select(c => c.Action).Should().Equal(ChangeAction.Delete, ChangeAction.Delete);
        var again = await host.PlanAsync(module, new { path = "/srv/pub", state = "absent" });
        again.Changed.Should().BeFalse("the file and the live table were simulated");
    }

    [Fact]
    public async Task DuplicateLinesForAPath_BecomeOne()
    {
        var host = new CannedHost().File(Exports, "/srv/a 10.0.0.1(rw)\n# keep me\n/srv/a 10.0.0.2(rw)\n").Command(ExportfsV, "");

        await host.PlanAsync(module, new { path = "/srv/a", clients = "10.0.0.1(rw) 10.0.0.2(rw)" });

        Text(host).Should().Be("/srv/a 10.0.0.1(rw) 10.0.0.2(rw)\n# keep me\n");
    }

    [Fact]
    public async Task ExportsD_FileIsCreatedWithItsDirectory()
    {
        var host = new CannedHost().Command(ExportfsV, "");

        var plan = await host.PlanAsync(module, new { path = "/srv/regvol", clients = "*(rw,sync,all_squash)", file = "/etc/exports.d/openshift-ansible.exports" });

        plan.Steps.Select(s => s.Description).Should().Equal("create directory of /etc/exports.d/openshift-ansible.exports", "write /etc/exports.d/openshift-ansible.exports", "exportfs -ra");
        plan.Steps[0].Script.Should().Be("mkdir -p -- /etc/exports.d");
    }

    [Fact]
    public async Task ReloadFalse_LeavesTheLiveTableAlone()
    {
        var host = new CannedHost().File(Exports, "");

        var plan = await host.PlanAsync(module, new { path = "/srv/regvol", clients = "*(rw)", reload = false });

        host.Fetched.Should().NotContain(k => k.StartsWith("cmd:", StringComparison.Ordinal));
        plan.Steps.Select(s => s.Description).Should().Equal("write /etc/exports");
    }

    [Fact]
    public async Task ExportfsMissing_FailsClearly()
    {
        var plan = await new CannedHost().Command(ExportfsV, "", 127, "sh: 1: exportfs: not found").PlanAsync(module, new { path = "/srv/regvol", clients = "*(rw)" });

        plan.Message.Should().Be("exportfs is not installed on canned (packages nfs-utils, nfs-kernel-server)");
    }

    [Fact]
    public void FailedReexport_ReportsExportfsOwnError_WithoutItsNotices()
    {
        var plan = new TaskPlan { Steps = [new RemoteStep("write /etc/exports", ""), new RemoteStep("exportfs -ra", "exportfs -ra")] };
        var stderr = "exportfs: /etc/exports [2]: Neither 'subtree_check' or 'no_subtree_check' specified for export \"10.0.0.1:/srv/missing\".\n" +
                     "  Assuming default behaviour ('no_subtree_check').\n  NOTE: this default has changed since nfs-utils version 1.0.x\n\n" +
                     "exportfs: Failed to stat /srv/missing: No such file or directory\n";

        var done = module.Complete(CannedHost.Bind(module, new { path = "/srv/missing", clients = "*(rw)" }), plan, [new("s0", 0, "", ""), new("s1", 1, "", stderr)]);

        done.Failed.Should().BeTrue();
        done.Message.Should().Be("exportfs -ra failed (rc 1): exportfs: Failed to stat /srv/missing: No such file or directory");
    }

    [Theory]
    [InlineData("*(rw,bogus)", "client *: unknown export option 'bogus'")]
    [InlineData("*(rw,anonuid=abc)", "client *: bad value in export option 'anonuid=abc'")]
    [InlineData("*(sec=krb6)", "client *: bad value in export option 'sec=krb6'")]
    [InlineData("*(rw", "clients[0]: '*(rw' is not a client")]
    [InlineData("$(touch /tmp/pwned)(rw)", "clients[0]: '$(touch' is not a client")]
    [InlineData("`touch${IFS}/tmp/pwned`(rw)", "client host '`touch${IFS}/tmp/pwned`'")]
    [InlineData("-rw", "client host '-rw'")]
    [InlineData("*(rw;reboot)", "client *: unknown export option 'rw;reboot'")]
    public void BadClientsAndOptions_AreValidationErrors(string clients, string error)
    {
        CannedHost.Errors(module, new { path = "/srv/regvol", clients }).Should().NotBeEmpty().And.Subject.First().Should().StartWith(error);
    }

    [Theory]
    [InlineData("path", "relative/dir")]
    [InlineData("path", "/srv/a\n/srv/b *(rw)")]
    [InlineData("path", "/srv/\"quoted\"")]
    [InlineData("file", "/etc/passwd")]
    [InlineData("file", "/etc/exports.d/x.conf")]
    [InlineData("file", "/etc/exports.d/../exports.exports")]
    public void BadPathsAndFiles_AreValidationErrors(string parameter, string value)
    {
        var args = new Dictionary<string, object?> { ["path"] = "/srv/regvol", ["clients"] = "*(rw)", [parameter] = value };

        CannedHost.Errors(module, args).Should().ContainSingle().Which.Should().StartWith(parameter);
    }

    [Fact]
    public void AllOptionNamesOfExports5_AreAccepted()
    {
        var options = "rw,ro,sync,async,wdelay,no_wdelay,hide,nohide,crossmnt,nocrossmnt,subtree_check,no_subtree_check,secure,insecure," +
                      "root_squash,no_root_squash,all_squash,no_all_squash,auth_nlm,no_auth_nlm,secure_locks,insecure_locks,acl,no_acl," +
                      "pnfs,no_pnfs,nordirplus,security_label,mountpoint,mp,mountpoint=/srv,mp=/srv,fsid=0,fsid=root," +
                      "fsid=8d2e4fe1-3c21-4d3b-b2a0-5d1b2c3d4e5f,anonuid=65534,anongid=100,sec=sys:krb5:krb5i:krb5p,refer=/a@host,replicas=/b@h1+h2";

        CannedHost.Errors(module, new { path = "/srv/regvol", clients = $"*({options})" }).Should().BeEmpty();
    }

    [Fact]
    public async Task ClientsAsAPathWithSpaces_AreQuotedInTheFile()
    {
        var host = Host();

        var plan = await host.PlanAsync(module, new { path = "/srv/with space", clients = "*(ro)" });

        plan.Changed.Should().BeFalse();
    }

    private static string Text(CannedHost host) =>
        host.Facts.GetAsync<FileState>(new FileProbe(Exports, WithContent: true), CancellationToken.None).AsTask().Result.Text!;
}
