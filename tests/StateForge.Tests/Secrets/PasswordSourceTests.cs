using StateForge.Diagnostics;
using StateForge.Secrets;

namespace StateForge.Tests.Secrets;

public sealed class PasswordSourceTests : IDisposable
{
    private readonly VaultFixture fx = new();

    public void Dispose() => fx.Dispose();

    [Fact]
    public void PasswordFile_ItsFirstLineIsThePassword()
    {
        var path = fx.Write("pw.txt", "hunter two \r\nsecond line\n");

        new PasswordFileSource(path).GetPassword("x").Should().Be(PasswordLookup.Found("hunter two "));
    }

    [Fact]
    public void PasswordFile_WithoutNewline_IsReadWhole()
    {
        var path = fx.Write("pw.txt", "hunter2");

        new PasswordFileSource(path).GetPassword("x").Password.Should().Be("hunter2");
    }

    [Fact]
    public void PasswordFile_Executable_IsRunAndItsOutputIsThePassword()
    {
        // Not the file's text: run, it prints the password (a client for a secret store, say).
        var script = fx.WriteScript("pw.sh", "echo from-the-script; echo ignored");

        new PasswordFileSource(script).GetPassword("x").Password.Should().Be("from-the-script");
    }

    [Fact]
    public void PasswordScript_Failing_NamesTheScriptAndExitCode_NotItsOutput()
    {
        var script = fx.WriteScript("pw.sh", "echo the-password-it-printed; exit 3");

        var lookup = new PasswordFileSource(script).GetPassword("x");

        lookup.Password.Should().BeNull();
        lookup.Problem.Should().Be($"vault password script '{script}' exited with code 3");
    }

    [Fact]
    public void PasswordScript_Hanging_IsBoundedByItsTimeout()
    {
        var script = fx.WriteScript("pw.sh", "sleep 30; echo late");

        var lookup = new PasswordFileSource(script, TimeSpan.FromMilliseconds(300)).GetPassword("x");

        lookup.Problem.Should().Be($"vault password script '{script}' did not finish in time");
    }

    [Fact]
    public void PasswordFile_MissingOrEmpty_IsAProblem()
    {
        var empty = fx.Write("empty.txt", "\n");
        var missing = fx.Path("missing.txt");

        new PasswordFileSource(empty).GetPassword("x").Problem.Should().Be($"vault password file '{empty}' is empty");
        new PasswordFileSource(missing).GetPassword("x").Problem.Should().Be($"vault password file '{missing}' not found");
    }

    [Fact]
    public void Keyring_AsksItsSourceOnce_ForManyFiles()
    {
        var asked = new List<string>();
        var keyring = new VaultKeyring(new PromptPasswordSource(file =>
        {
            asked.Add(file);
            return VaultFixture.Password;
        }));
        var diagnostics = new DiagnosticBag();

        keyring.DecryptText("a.yml", VaultFixture.Encrypt("a: 1"), diagnostics, SourceSpan.None).Should().Be("a: 1");
        keyring.DecryptText("b.yml", VaultFixture.Encrypt("b: 2"), diagnostics, SourceSpan.None).Should().Be("b: 2");

        diagnostics.Should().BeEmpty();
        asked.Should().Equal("a.yml");
    }

    [Fact]
    public void Keyring_PromptWithNoTerminal_MeansNoPassword()
    {
        var keyring = new VaultKeyring(new PromptPasswordSource(_ => null));
        var diagnostics = new DiagnosticBag();

        keyring.DecryptText("a.yml", VaultFixture.Encrypt("a: 1"), diagnostics, SourceSpan.None).Should().BeNull();

        diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0121");
    }

    [Fact]
    public void Keyring_SourceProblem_IsADiagnosticNamingTheVaultFile()
    {
        var missing = fx.Path("nope.txt");
        var diagnostics = new DiagnosticBag();

        new VaultKeyring(new PasswordFileSource(missing)).DecryptText("group_vars/all.yml", VaultFixture.Encrypt("a: 1"), diagnostics, new SourceSpan("group_vars/all.yml", 1, 1));

        diagnostics.Should().ContainSingle().Which.ToString().Should()
            .Be($"group_vars/all.yml(1,1): error SF0123: vault: no password for 'group_vars/all.yml': vault password file '{missing}' not found");
    }

    [Fact]
    public void Create_OptionWins_ThenEnvironment_ThenPrompt()
    {
        var option = fx.Write("option.txt", "from-option\n");
        var fromEnv = fx.Write("env.txt", "from-env\n");
        var previous = Environment.GetEnvironmentVariable(PasswordFileSource.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(PasswordFileSource.EnvironmentVariable, fromEnv);
            PasswordOf(VaultKeyring.Create(option, _ => "from-prompt")).Should().Be("from-option");
            PasswordOf(VaultKeyring.Create(null, _ => "from-prompt")).Should().Be("from-env");
            PasswordOf(VaultKeyring.FromEnvironment()).Should().Be("from-env");

            Environment.SetEnvironmentVariable(PasswordFileSource.EnvironmentVariable, null);
            PasswordOf(VaultKeyring.Create(null, _ => "from-prompt")).Should().Be("from-prompt");
            VaultKeyring.Create(null, (IVaultPasswordSource?)null).Should().BeSameAs(VaultKeyring.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable(PasswordFileSource.EnvironmentVariable, previous);
        }
    }

    [Fact]
    public void Use_SetsTheCurrentKeyringForThisFlowOnly()
    {
        var keyring = VaultFixture.Keyring();
        using (VaultKeyring.Use(keyring))
        {
            VaultKeyring.Current.Should().BeSameAs(keyring);
        }

        VaultKeyring.Current.Should().NotBeSameAs(keyring);
    }

    private static string? PasswordOf(VaultKeyring keyring) => keyring.Password("f").Password;
}
