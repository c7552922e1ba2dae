using StateForge.Diagnostics;
using StateForge.Inventory;
using StateForge.Model;
using StateForge.Secrets;
using StateForge.Tests.Validation;
using StateForge.Validation;
using StateForge.Variables;

namespace StateForge.Tests.Secrets;

/// <summary>Every YAML file read as variables decrypts transparently when it starts with the vault header.</summary>
public sealed class VaultLoadingTests : IDisposable
{
    private const string Secret = "pa55-w0rd-XYZZY";
    private readonly VaultFixture fx = new();

    public void Dispose() => fx.Dispose();

    private (Playbook Playbook, DiagnosticBag Diagnostics) LoadPlaybook(string text, VaultKeyring? keyring = null)
    {
        var path = fx.Write("site.yml", text);
        var diagnostics = new DiagnosticBag();
        using (VaultKeyring.Use(keyring ?? VaultFixture.Keyring()))
        {
            return (new PlaybookLoader(TestCatalog.Instance, diagnostics).Load(path), diagnostics);
        }
    }

    private const string PlayWithVarsFile = """
        - hosts: all
          vars_files: [vars/secrets.yml]
          tasks:
            - testfile: {path: /x}
        """;

    [Fact]
    public void VarsFiles_Encrypted_LoadsTransparently()
    {
        fx.WriteEncrypted("vars/secrets.yml", $"db_password: {Secret}\ndb_port: 5432\n");

        var (pb, diagnostics) = LoadPlaybook(PlayWithVarsFile);

        diagnostics.Should().BeEmpty();
        var vars = pb.Plays.Single().VarsFiles;
        vars["db_password"].Should().Be(Secret);
        vars["db_port"].Should().Be(5432L);
    }

    [Fact]
    public void RoleDefaultsAndVars_Encrypted_LoadTransparently()
    {
        fx.WriteEncrypted("roles/db/defaults/main.yml", "db_user: app\n");
        fx.WriteEncrypted("roles/db/vars/main.yml", $"db_password: {Secret}\n");
        fx.Write("roles/db/tasks/main.yml", "- testfile: {path: /x}\n");

        var (pb, diagnostics) = LoadPlaybook("- hosts: all\n  roles: [db]\n");

        diagnostics.Should().BeEmpty();
        var play = pb.Plays.Single();
        play.RoleDefaults["db_user"].Should().Be("app");
        play.Tasks.OfType<TaskDefinition>().Single().Role!.Vars["db_password"].Should().Be(Secret);
    }

    [Fact]
    public void PlainFiles_NeverAskForAPassword()
    {
        fx.Write("vars/secrets.yml", "a: 1\n");
        var keyring = new VaultKeyring(new PromptPasswordSource(_ => throw new InvalidOperationException("asked")));

        var (pb, diagnostics) = LoadPlaybook(PlayWithVarsFile, keyring);

        diagnostics.Should().BeEmpty();
        pb.Plays.Single().VarsFiles["a"].Should().Be(1L);
    }

    [Fact]
    public void VarsFiles_WrongPassword_NamesTheFile_AndStillReportsEveryOtherError()
    {
        fx.WriteEncrypted("vars/secrets.yml", $"db_password: {Secret}\n", password: "another password");

        var (_, diagnostics) = LoadPlaybook("""
            - hosts: all
              vars_files: [vars/secrets.yml]
              tasks:
                - nosuchmodule: {}
            """);

        var file = PlaybookLoader.DisplayPath(fx.Path("vars/secrets.yml"));
        diagnostics.Select(d => d.Code).Should().BeEquivalentTo(["SF0120", "SF0004"]);
        diagnostics.Single(d => d.Code == "SF0120").ToString().Should()
            .Be($"{file}(1,1): error SF0120: vault: wrong password or the file was changed: {file}");
    }

    [Fact]
    public void VarsFiles_NoPassword_SaysHowToGiveOne()
    {
        fx.WriteEncrypted("vars/secrets.yml", $"db_password: {Secret}\n");

        var (_, diagnostics) = LoadPlaybook(PlayWithVarsFile, VaultKeyring.None);

        diagnostics.Should().ContainSingle().Which.Message.Should().Contain("needs a vault password").And.Contain("--vault-password-file");
    }

    [Fact]
    public void Diagnostics_InAnEncryptedFile_PointAtPlaintextLines_AndNameTheEncryptedFile()
    {
        fx.WriteEncrypted("vars/secrets.yml", $"db_user: app\ndb_password: {Secret}\ndb_user: again\n");

        var (_, diagnostics) = LoadPlaybook(PlayWithVarsFile);

        var file = PlaybookLoader.DisplayPath(fx.Path("vars/secrets.yml"));
        diagnostics.Should().ContainSingle().Which.ToString().Should()
            .Be($"{file}(3,1): error SF0002: duplicate key 'db_user' (first defined at line 1, column 1)");
    }

    [Fact]
    public void Playbook_ItselfEncrypted_Loads()
    {
        var path = fx.Write("site.yml", VaultFixture.Encrypt("- hosts: all\n  tasks:\n    - testfile: {path: /x}\n"));
        var diagnostics = new DiagnosticBag();
        using (VaultKeyring.Use(VaultFixture.Keyring()))
        {
            new PlaybookLoader(TestCatalog.Instance, diagnostics).Load(path).Plays.Should().ContainSingle();
        }

        diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void GroupVarsAndHostVars_Encrypted_LoadTransparently()
    {
        fx.Write("hosts", "[db]\ndb1\n");
        fx.WriteEncrypted("group_vars/db/vault.yml", $"db_password: {Secret}\n");
        fx.Write("group_vars/db/plain.yml", "db_port: 5432\n");
        fx.WriteEncrypted("host_vars/db1.yml", "db_role: primary\n");
        var diagnostics = new DiagnosticBag();

        InventoryModel model;
        using (VaultKeyring.Use(VaultFixture.Keyring()))
        {
            model = InventoryLoader.Load([fx.Path("hosts")], diagnostics);
        }

        diagnostics.Should().BeEmpty();
        var vars = model.FindHost("db1")!.Vars;
        vars["db_password"].Should().Be(Secret);
        vars["db_port"].Should().Be(5432L);
        vars["db_role"].Should().Be("primary");
    }

    [Fact]
    public void GroupVars_WrongPassword_IsReportedAgainstThatFile()
    {
        fx.Write("hosts", "[db]\ndb1\n");
        var vault = fx.WriteEncrypted("group_vars/db.yml", $"db_password: {Secret}\n", password: "other");
        var diagnostics = new DiagnosticBag();

        using (VaultKeyring.Use(VaultFixture.Keyring()))
        {
            InventoryLoader.Load([fx.Path("hosts")], diagnostics);
        }

        diagnostics.Should().ContainSingle().Which.ToString().Should()
            .Be($"{vault}(1,1): error SF0120: vault: wrong password or the file was changed: {vault}");
    }

    [Fact]
    public void ExtraVarsFile_Encrypted_LoadsTransparently()
    {
        var path = fx.WriteEncrypted("extra.yml", $"db_password: {Secret}\n");
        var diagnostics = new DiagnosticBag();

        using (VaultKeyring.Use(VaultFixture.Keyring()))
        {
            ExtraVars.Parse(["@" + path], diagnostics)["db_password"].Should().Be(Secret);
        }

        diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void InlineVaultValue_IsDecryptedToAString_AliasesIncluded()
    {
        var inline = Indent(VaultFixture.Encrypt("007"), "      ");
        var (pb, diagnostics) = LoadPlaybook($"""
            - hosts: all
              vars:
                plain: 1
                pin: &pin !vault |
            {inline}
                again: *pin
              tasks: []
            """);

        diagnostics.Should().BeEmpty();
        var vars = pb.Plays.Single().Vars;
        vars["pin"].Should().Be("007", "a secret stays a string, never the number 7");
        vars["again"].Should().Be("007");
        vars["plain"].Should().Be(1L);
    }

    [Fact]
    public void InlineVaultValue_WrongPassword_PointsAtTheValue()
    {
        var inline = Indent(VaultFixture.Encrypt(Secret, "other"), "      ");
        var (_, diagnostics) = LoadPlaybook($"""
            - hosts: all
              vars:
                pin: !vault |
            {inline}
              tasks: []
            """);

        var d = diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("SF0120");
        d.Span.Line.Should().Be(3);
        d.Message.Should().Contain("the !vault value at line 3");
    }

    [Fact]
    public void Messages_NeverHoldTheSecretOrThePassword()
    {
        const string password = "the-Vault-Passw0rd";
        var all = new List<string>();
        void Collect(DiagnosticBag d) => all.AddRange(d.Select(x => x.ToString()));

        // Wrong password, a tampered file, binary content, a duplicate key and a type error in decrypted text.
        fx.WriteEncrypted("vars/a.yml", $"db_password: {Secret}\n", password: "other");
        var tampered = VaultFixture.Encrypt($"db_password: {Secret}\n", password).ToCharArray();
        tampered[60] = tampered[60] == 'A' ? 'B' : 'A';
        fx.Write("vars/b.yml", new string(tampered));
        fx.Write("vars/c.yml", VaultFixture.Encrypt([0xFF, 0xFE, 0x00], password));
        fx.WriteEncrypted("vars/d.yml", $"db_password: {Secret}\ndb_password: {Secret}\n", password);
        fx.WriteEncrypted("vars/e.yml", $"- {Secret}\n- [{Secret}\n", password);
        fx.WriteEncrypted("vars/f.yml", $"{Secret}\n", password);
        var (_, d1) = LoadPlaybook("""
            - hosts: all
              vars_files: [vars/a.yml, vars/b.yml, vars/c.yml, vars/d.yml, vars/e.yml, vars/f.yml]
              tasks: []
            """, VaultFixture.Keyring(password));
        Collect(d1);

        // The password source failing, and a script that prints the password then fails.
        var script = fx.WriteScript("pw.sh", $"echo {password}; echo {password} >&2; exit 1");
        var (_, d2) = LoadPlaybook(PlayWithVarsFile.Replace("secrets", "a", StringComparison.Ordinal), new VaultKeyring(new PasswordFileSource(script)));
        Collect(d2);

        all.Should().HaveCountGreaterThanOrEqualTo(7);
        all.Should().OnlyContain(m => !m.Contains(Secret, StringComparison.Ordinal) && !m.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public void ReadBytes_ForControllerFiles_DecryptsVaults_AndPassesOtherFilesThrough()
    {
        var plain = fx.Write("files/plain.conf", "x=1\n");
        var vault = fx.Write("files/key.pem", VaultFixture.Encrypt([0x00, 0x01, 0xFF]));
        var wrong = fx.Write("files/other.pem", VaultFixture.Encrypt([0x02], "other"));

        using (VaultKeyring.Use(VaultFixture.Keyring()))
        {
            VaultFile.ReadBytes(plain, out var p1).Should().Equal("x=1\n"u8.ToArray());
            VaultFile.ReadBytes(vault, out var p2).Should().Equal(0x00, 0x01, 0xFF);
            VaultFile.ReadBytes(wrong, out var p3).Should().BeNull();
            VaultFile.ReadBytes(fx.Path("files/missing"), out var p4).Should().BeNull();

            (p1, p2).Should().Be((null, null));
            p3.Should().Be($"vault: wrong password or the file was changed: {wrong}");
            p4.Should().NotBeNull();
        }
    }

    private static string Indent(string text, string prefix) =>
        string.Join('\n', text.TrimEnd('\n').Split('\n').Select(l => prefix + l));
}
