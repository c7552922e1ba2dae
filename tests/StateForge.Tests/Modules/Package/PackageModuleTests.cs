using StateForge.Facts;
using StateForge.Modules;
using StateForge.Modules.Host;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Tests.Modules.Package;

/// <summary>Planning from outputs captured on a Debian 12 lab host with the test apt repository (tests/lab/build-apt-repo.sh).</summary>
public sealed class PackageModuleTests
{
    private static readonly PackageModule Module = new();

    private static string Installed => Captured.Read("apt-some-installed.txt");

    private static string Fresh => Captured.Read("apt-none-installed.txt");

    private static FakeHost HostWith(string aptOutput) => new(p => p is PackageQueryProbe ? FakeHost.Output(aptOutput) : null);

    private static PackageParams Params(PackageState state, params string[] names) => new() { Name = names, State = state };

    [Fact]
    public void Parse_AptOutput_ReadsInstalledVersionsCandidatesAndVersionTables()
    {
        var facts = PackageQueryProbe.ParseOutput(Installed);

        facts.Manager.Should().Be("apt");
        facts.Installed.Should().Contain(new KeyValuePair<string, string>("sf-nfs-utils", "1.0-1"))
            .And.Contain(new KeyValuePair<string, string>("sf-nfs-common:all", "1.0-1"))
            .And.Contain(new KeyValuePair<string, string>("bash", "5.2.15-2+b8"));
        facts.InstalledVersion("sf-tools").Should().BeNull();
        facts.Candidates["sf-nfs-utils"].Should().Be("2.0-1");
        facts.Candidates.Should().NotContainKey("sf-nope", "apt-cache policy prints nothing for a package apt does not know");
        facts.Available["sf-nfs-utils"].Should().Equal("2.0-1", "1.0-1");
        facts.Available["bash"].Should().Equal("5.2.15-2+b8");
    }

    [Fact]
    public void Parse_RpmOutput_ReadsEpochsAndIgnoresNotInstalledLines()
    {
        // rpm -q --qf '%{NAME}\t%{ARCH}\t%{EPOCH}\t%{VERSION}-%{RELEASE}\n' prints "(none)" for no epoch and
        // "package X is not installed" on stdout for a missing one.
        const string Output = "@manager dnf\n@installed\nnfs-utils\tx86_64\t1\t2.5.4-25.el9\nrpcbind\tx86_64\t(none)\t1.2.6-7.el9\npackage sf-nope is not installed\n";

        var facts = PackageQueryProbe.ParseOutput(Output);

        facts.Manager.Should().Be("dnf");
        facts.InstalledVersion("nfs-utils").Should().Be("1:2.5.4-25.el9");
        facts.InstalledVersion("nfs-utils.x86_64").Should().Be("1:2.5.4-25.el9");
        facts.InstalledVersion("rpcbind").Should().Be("1.2.6-7.el9");
        facts.InstalledVersion("sf-nope").Should().BeNull();
        facts.CandidatesKnown.Should().BeFalse();
    }

    [Fact]
    public void Parse_ForcedManagerTheHostLacks_SaysNone()
    {
        PackageQueryProbe.ParseOutput(Captured.Read("dnf-forced-on-debian.txt")).Manager.Should().Be("none");
    }

    [Fact]
    public async Task Plan_MissingPackages_InstallsThemAllWithOneAptGetCommand()
    {
        var host = HostWith(Fresh);

        var plan = await host.PlanAsync(Module, Params(PackageState.Present, "sf-nfs-utils", "sf-tools"));

        plan.Changes.Should().Equal(
            new ResourceChange("package sf-nfs-utils", ChangeAction.Create, null, "2.0-1", "- sf-nfs-utils (not installed)\n+ sf-nfs-utils 2.0-1"),
            new ResourceChange("package sf-tools", ChangeAction.Create, null, "1.0-1", "- sf-tools (not installed)\n+ sf-tools 1.0-1"));
        plan.Steps.Should().ContainSingle().Which.Script.Should().Be(
            "LC_ALL=C; export LC_ALL\nenv DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=120 " +
            "-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -- sf-nfs-utils sf-tools");
        plan.Result["installed"].Should().BeEquivalentTo(new[] { "sf-nfs-utils", "sf-tools" });
        plan.Result["pkg_mgr"].Should().Be("apt");
        plan.NeedsExecution.Should().BeTrue("an install changes files and services that later tasks read: the engine reads facts again");
        host.Batches.Should().ContainSingle("the task's facts come in one batch");
    }

    [Fact]
    public async Task Plan_InstalledPackages_ChangeNothing()
    {
        var plan = await HostWith(Installed).PlanAsync(Module, Params(PackageState.Installed, "sf-nfs-utils", "sf-nfs-common"));

        plan.Changed.Should().BeFalse();
        plan.Steps.Should().BeEmpty();
        plan.Message.Should().StartWith("nothing to do");
    }

    [Fact]
    public async Task Plan_Absent_RemovesOnlyWhatIsInstalled()
    {
        var plan = await HostWith(Installed).PlanAsync(Module, Params(PackageState.Removed, "sf-nfs-utils", "sf-tools"));

        plan.Changes.Where(c => c.IsChange).Should().ContainSingle().Which.Should().Be(
            new ResourceChange("package sf-nfs-utils", ChangeAction.Delete, "1.0-1", null, "- sf-nfs-utils 1.0-1\n+ sf-nfs-utils (not installed)"));
        plan.Steps.Should().ContainSingle().Which.Script.Should().EndWith("apt-get remove -y -o DPkg::Lock::Timeout=120 -- sf-nfs-utils");
        plan.Result["removed"].Should().BeEquivalentTo(new[] { "sf-nfs-utils" });
    }

    [Fact]
    public async Task Plan_Latest_UpgradesToTheCandidate()
    {
        var plan = await HostWith(Installed).PlanAsync(Module, Params(PackageState.Latest, "sf-nfs-utils", "sf-nfs-common", "sf-tools"));

        plan.Changes.Where(c => c.IsChange).Select(c => (c.Resource, c.Action, c.Before, c.After)).Should().Equal(
            ("package sf-nfs-utils", ChangeAction.Modify, "1.0-1", "2.0-1"),
            ("package sf-tools", ChangeAction.Create, null, "1.0-1"));
        plan.Steps.Should().ContainSingle().Which.Script.Should().EndWith("-- sf-tools sf-nfs-utils");
        plan.Result["upgraded"].Should().BeEquivalentTo(new[] { "sf-nfs-utils" });
    }

    [Theory]
    [InlineData("sf-nfs-utils=1.0-1", false)]
    [InlineData("sf-nfs-utils=1.0*", false)]
    [InlineData("sf-nfs-utils=2.0-1", true)]
    public async Task Plan_VersionPin_ComparesWithTheInstalledVersion(string pinned, bool changes)
    {
        var plan = await HostWith(Installed).PlanAsync(Module, Params(PackageState.Present, pinned));

        plan.Changed.Should().Be(changes);
        if (changes)
        {
            plan.Changes.Single().Should().Match<ResourceChange>(c => c.Action == ChangeAction.Modify && Equals(c.Before, "1.0-1") && Equals(c.After, "2.0-1"));
            plan.Steps.Single().Script.Should().EndWith("-- sf-nfs-utils=2.0-1");
        }
    }

    [Fact]
    public async Task CheckMode_UnknownPackage_FailsNamingHostAndPackage()
    {
        var plan = await HostWith(Fresh).PlanAsync(Module, Params(PackageState.Present, "sf-tools", "sf-nope"), check: true);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("host1: No package matching 'sf-nope' is available (E: Unable to locate package sf-nope)");
    }

    [Fact]
    public async Task CheckMode_UnknownPackageWithUpdateCache_WarnsOnly()
    {
        var plan = await HostWith(Fresh).PlanAsync(Module, Params(PackageState.Present, "sf-nope") with { UpdateCache = true }, check: true);

        plan.Failed.Should().BeFalse();
        plan.Warnings.Should().ContainSingle().Which.Should().Contain("sf-nope").And.Contain("update_cache");
        plan.Steps.Select(s => s.Description).Should().Equal("apt-get update (update_cache)", "apt-get install sf-nope");
    }

    [Fact]
    public async Task Apply_UnknownPackage_LeavesTheVerdictToAptGet()
    {
        var plan = await HostWith(Fresh).PlanAsync(Module, Params(PackageState.Present, "sf-nope"));

        plan.Failed.Should().BeFalse();
        plan.Steps.Should().ContainSingle();
    }

    [Fact]
    public async Task CheckMode_UnavailableVersion_FailsWithAptsWords()
    {
        var plan = await HostWith(Fresh).PlanAsync(Module, Params(PackageState.Present, "sf-nfs-utils=0.9"), check: true);

        plan.Message.Should().Be("host1: E: Version '0.9' for 'sf-nfs-utils' was not found");
    }

    [Fact]
    public void Complete_AptGetFailure_FailsWithItsOwnMessage()
    {
        var plan = new TaskPlan { Steps = [new RemoteStep("apt-get install sf-nope", "…")] };
        var stderr = "E: Unable to locate package sf-nope\n";

        var done = Module.Complete(Params(PackageState.Present, "sf-nope"), plan, [new StepResult("s0", 100, "Reading package lists...\n", stderr)]);

        done.Failed.Should().BeTrue();
        done.Message.Should().Be("apt-get install sf-nope failed (rc 100): E: Unable to locate package sf-nope");
        done.Result["rc"].Should().Be(100L);
        done.Result["stderr"].Should().Be(stderr);
    }

    [Fact]
    public async Task CheckMode_LaterTasks_SeeThePlannedPackages()
    {
        var host = new FakeHost(p => p switch
        {
            PackageQueryProbe q when q.Names.Contains("sf-tools") => FakeHost.Output(Fresh),
            PackageQueryProbe => FakeHost.Output(Fresh),
            _ => null,
        });

        var first = await host.PlanAsync(Module, Params(PackageState.Present, "sf-nfs-utils"), check: true);
        var second = await host.PlanAsync(Module, Params(PackageState.Present, "sf-nfs-utils", "sf-tools"), check: true);
        var planned = await host.Facts.GetAsync<PlannedPackages>(new PlannedPackagesProbe(), CancellationToken.None);

        first.Changed.Should().BeTrue();
        second.Changes.Where(c => c.IsChange).Should().ContainSingle().Which.Resource.Should().Be("package sf-tools");
        planned.Installing.Should().Equal("sf-nfs-utils", "sf-tools");
    }

    [Fact]
    public async Task Plan_FactsNameTheManager_UnsupportedOneFails()
    {
        var plan = await HostWith(Installed).PlanAsync(Module, Params(PackageState.Present, "sf-tools"), ansibleFacts: new Dictionary<string, object?> { ["pkg_mgr"] = "zypper" });

        plan.Message.Should().Be("host1: package manager 'zypper' (ansible_facts.pkg_mgr) is not supported; supported: apt, dnf, yum");
    }

    [Fact]
    public async Task Plan_ForcedManagerMissingOnTheHost_FailsClearly()
    {
        var host = new FakeHost(p => p is PackageQueryProbe ? FakeHost.Output(Captured.Read("dnf-forced-on-debian.txt")) : null);

        var plan = await host.PlanAsync(new DnfModule(), Params(PackageState.Present, "sf-tools"));

        plan.Message.Should().Be("host1: dnf was not found on the host (use: dnf)");
    }

    [Fact]
    public async Task Plan_DnfLatest_UpgradesWhatCheckUpdateOffers()
    {
        const string Rpm = "@manager dnf\n@installed\nnfs-utils\tx86_64\t1\t2.5.4-25.el9\nrpcbind\tx86_64\t(none)\t1.2.6-7.el9\npackage skopeo is not installed\n";
        const string CheckUpdate = "\nnfs-utils.x86_64                     1:2.5.4-27.el9_5                       baseos\n";
        var host = new FakeHost(p => p switch
        {
            PackageQueryProbe => FakeHost.Output(Rpm),
            PackageUpgradesProbe => FakeHost.Output(CheckUpdate, 100),
            _ => null,
        });

        var plan = await host.PlanAsync(new DnfModule(), Params(PackageState.Latest, "nfs-utils", "rpcbind", "skopeo"));

        plan.Changes.Where(c => c.IsChange).Select(c => (c.Resource, c.Action, c.Before, c.After)).Should().Equal(
            ("package nfs-utils", ChangeAction.Modify, "1:2.5.4-25.el9", "1:2.5.4-27.el9_5"),
            ("package skopeo", ChangeAction.Create, null, "(latest available)"));
        plan.Steps.Select(s => s.Script.Split('\n')[1]).Should().Equal("dnf -y install skopeo", "dnf -y upgrade nfs-utils");
        host.Batches.Should().ContainSingle("a forced dnf task asks for installed versions and upgrades in one batch");
    }

    [Fact]
    public void Parse_CheckUpdateFailure_IsAnError()
    {
        PackageUpgradesProbe.ParseOutput(1, "", "Error: Failed to download metadata for repo 'baseos'\n").Error
            .Should().Be("Error: Failed to download metadata for repo 'baseos' (rc 1)");
    }

    [Fact]
    public void Validate_AptModuleWithAnotherManager_IsRefused()
    {
        new AptModule().Validate(Params(PackageState.Present, "x") with { Use = PackageManager.Dnf })
            .Should().ContainSingle().Which.Should().Be("use: dnf contradicts this module, which always uses apt");
    }

    [Fact]
    public void Validate_PinWithLatest_IsRefused()
    {
        Module.Validate(Params(PackageState.Latest, "x=1.0")).Should().ContainSingle().Which.Should().Contain("state latest");
    }

    [Fact]
    public void HostileNames_AreRefusedAndNoProbeIsMade()
    {
        foreach (var value in Hostile.Values)
        {
            var p = Params(PackageState.Present, value);

            Module.Validate(p).Should().NotBeEmpty($"'{value}' must be refused");
            Module.Probes(p).Should().BeEmpty($"nothing of '{value}' may reach a host");
        }

        Module.Validate(Params(PackageState.Present, "nginx=1.0;reboot")).Should().ContainSingle().Which.Should().Contain("invalid version pin");
    }

    [Fact]
    public void Catalog_RegistersTheAnsibleNames()
    {
        var catalog = ModuleCatalog.BuiltIn;
        foreach (var name in new[] { "package", "ansible.builtin.package" })
        {
            catalog.Find(name).Should().BeOfType<PackageModule>();
        }

        catalog.Find("apt").Should().BeOfType<AptModule>();
        catalog.Find("ansible.builtin.apt").Should().BeOfType<AptModule>();
        catalog.Find("ansible.builtin.dnf").Should().BeOfType<DnfModule>();
        catalog.Find("ansible.builtin.yum").Should().BeOfType<YumModule>();
    }

    [Fact]
    public void Docs_EveryParameterIsDescribed()
    {
        foreach (var p in ParameterSchema.For(typeof(PackageParams)).Parameters)
        {
            p.Doc.Description.Should().NotBeNullOrWhiteSpace(p.Name);
        }

        ParameterSchema.For(typeof(PackageParams)).ByName["state"].Choices.Should().Equal("present", "absent", "latest", "installed", "removed");
        Module.Examples.Should().Contain("package:");
    }
}
