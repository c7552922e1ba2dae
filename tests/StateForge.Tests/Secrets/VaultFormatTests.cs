using System.Security.Cryptography;
using System.Text;
using StateForge.Diagnostics;
using StateForge.Secrets;

namespace StateForge.Tests.Secrets;

public sealed class VaultFormatTests
{
    private const string Secret = "s3cr3t-db-pa55w0rd";

    private static (byte[]? Plaintext, DiagnosticBag Diagnostics) Decrypt(string text, string password = VaultFixture.Password)
    {
        var diagnostics = new DiagnosticBag();
        var plaintext = VaultFixture.Keyring(password).Decrypt("vars/secret.yml", text, diagnostics, new SourceSpan("vars/secret.yml", 1, 1));
        return (plaintext, diagnostics);
    }

    [Fact]
    public void Encrypt_ThenDecrypt_ReturnsThePlaintext()
    {
        var text = VaultFixture.Encrypt($"db_password: {Secret}\n");

        text.Should().StartWith(VaultFormat.Header + "\n").And.NotContain(Secret);
        var (plaintext, diagnostics) = Decrypt(text);
        diagnostics.Should().BeEmpty();
        Encoding.UTF8.GetString(plaintext!).Should().Be($"db_password: {Secret}\n");
    }

    [Fact]
    public void Encrypt_SameTextTwice_GivesDifferentCiphertexts()
    {
        // A fresh salt and nonce each time: equal secrets do not show as equal files.
        var keyring = VaultFixture.Keyring();
        var first = keyring.Encrypt("a", Encoding.UTF8.GetBytes(Secret), new DiagnosticBag(), SourceSpan.None)!;
        var second = keyring.Encrypt("b", Encoding.UTF8.GetBytes(Secret), new DiagnosticBag(), SourceSpan.None)!;

        first.Should().NotBe(second);
        VaultEnvelope.Parse(first, out _)!.Salt.Should().NotEqual(VaultEnvelope.Parse(second, out _)!.Salt);
        Encoding.UTF8.GetString(Decrypt(first).Plaintext!).Should().Be(Secret);
    }

    [Fact]
    public void Layout_IsSaltNonceCiphertextTag_InBase64WrappedAt80()
    {
        var plaintext = new byte[200];
        var text = VaultFixture.Encrypt(plaintext);

        var lines = text.Split('\n');
        lines[0].Should().Be("$STATEFORGE_VAULT;1.0;AES256-GCM");
        lines[^1].Should().BeEmpty("the text ends with a newline");
        var body = lines[1..^1];
        body[..^1].Should().OnlyContain(l => l.Length == 80);
        body[^1].Length.Should().BeInRange(1, 80);
        Convert.FromBase64String(string.Concat(body)).Length.Should().Be(16 + 12 + 200 + 16);
    }

    [Fact]
    public void Decrypt_ReadsAnyWrappingAndCrLf()
    {
        var text = VaultFixture.Encrypt(new string('x', 300));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var oneLine = lines[0] + "\n" + string.Concat(lines[1..]) + "\n";
        var crlfAt64 = lines[0] + "\r\n" + string.Join("\r\n", string.Concat(lines[1..]).Chunk(64).Select(c => new string(c))) + "\r\n";

        Encoding.UTF8.GetString(Decrypt(oneLine).Plaintext!).Should().Be(new string('x', 300));
        Encoding.UTF8.GetString(Decrypt(crlfAt64).Plaintext!).Should().Be(new string('x', 300));
    }

    [Fact]
    public void EmptyPlaintext_RoundTrips()
    {
        var text = VaultFixture.Encrypt([]);

        var (plaintext, diagnostics) = Decrypt(text);
        diagnostics.Should().BeEmpty();
        plaintext.Should().BeEmpty();
    }

    [Fact]
    public void BinaryPlaintext_RoundTripsByteForByte()
    {
        var bytes = RandomNumberGenerator.GetBytes(70_000);
        bytes[0] = 0;
        bytes[1] = 0xFF;

        Decrypt(VaultFixture.Encrypt(bytes)).Plaintext.Should().Equal(bytes);
    }

    [Fact]
    public void Decrypt_WrongPassword_IsAClearErrorNamingTheFile()
    {
        var (plaintext, diagnostics) = Decrypt(VaultFixture.Encrypt(Secret), "not the password");

        plaintext.Should().BeNull();
        diagnostics.Should().ContainSingle().Which.ToString()
            .Should().Be("vars/secret.yml(1,1): error SF0120: vault: wrong password or the file was changed: vars/secret.yml");
    }

    public static TheoryData<string, int> Tampering => new()
    {
        { "salt", 0 },
        { "nonce", 16 },
        { "ciphertext", 16 + 12 + 3 },
        { "tag", -1 },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Decrypt_AnyByteChanged_FailsLikeAWrongPassword(string part, int index)
    {
        var text = VaultFixture.Encrypt(Secret);
        var bytes = Convert.FromBase64String(string.Concat(text.Split('\n').Skip(1)));
        bytes[index < 0 ? bytes.Length + index : index] ^= 0x01;
        var tampered = VaultFormat.Header + "\n" + Convert.ToBase64String(bytes) + "\n";

        var (plaintext, diagnostics) = Decrypt(tampered);

        plaintext.Should().BeNull(part);
        diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0120");
    }

    [Fact]
    public void Decrypt_TruncatedOrExtended_Fails()
    {
        var text = VaultFixture.Encrypt(Secret);
        var body = string.Concat(text.Split('\n').Skip(1));
        var bytes = Convert.FromBase64String(body);

        Decrypt(VaultFormat.Header + "\n" + Convert.ToBase64String(bytes[..^1])).Diagnostics.Single().Code.Should().Be("SF0120");
        Decrypt(VaultFormat.Header + "\n" + Convert.ToBase64String([.. bytes, 0])).Diagnostics.Single().Code.Should().Be("SF0120");
    }

    [Fact]
    public void Decrypt_ChangedHeader_IsRefused()
    {
        var text = VaultFixture.Encrypt(Secret);

        var (plaintext, diagnostics) = Decrypt(text.Replace("1.0;AES256-GCM", "1.0;AES128-GCM", StringComparison.Ordinal));

        plaintext.Should().BeNull();
        diagnostics.Should().ContainSingle().Which.Message.Should()
            .Be("vault: 'vars/secret.yml' is not a StateForge vault this version can read: unsupported vault header '$STATEFORGE_VAULT;1.0;AES128-GCM' (this StateForge reads '$STATEFORGE_VAULT;1.0;AES256-GCM')");
    }

    [Fact]
    public void HeaderIsAssociatedData_SoCiphertextUnderAnotherHeaderFailsAuthentication()
    {
        // Encrypt exactly as the cipher does, but bind a different header: the real header must not verify it.
        var salt = new byte[16];
        var key = VaultCipher.DeriveKey(VaultFixture.Password, salt);
        var nonce = new byte[12];
        var plaintext = Encoding.UTF8.GetBytes(Secret);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(key, 16))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes("$STATEFORGE_VAULT;0.9;AES256-GCM"));
        }

        var text = new VaultEnvelope(salt, nonce, ciphertext, tag).ToText();
        Decrypt(text).Diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0120");
        VaultCipher.Decrypt(VaultEnvelope.Parse(text, out _)!, key).Should().BeNull();
    }

    [Theory]
    [InlineData("$STATEFORGE_VAULT;1.0;AES256-GCM\n", "fewer than the 44 of salt, nonce and tag")]
    [InlineData("$STATEFORGE_VAULT;1.0;AES256-GCM", "fewer than the 44")]
    [InlineData("$STATEFORGE_VAULT;1.0;AES256-GCM\nnot base64 at all!\n", "not base64")]
    [InlineData("$STATEFORGE_VAULT;2.0;AES256-GCM\nAAAA\n", "unsupported vault header")]
    public void Decrypt_Malformed_SaysWhatIsWrong(string text, string expected)
    {
        var (plaintext, diagnostics) = Decrypt(text);

        plaintext.Should().BeNull();
        var d = diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("SF0122");
        d.Message.Should().Contain(expected);
    }

    [Fact]
    public void Decrypt_KeyringWithoutPassword_SaysHowToGiveOne()
    {
        var diagnostics = new DiagnosticBag();

        VaultKeyring.None.Decrypt("secret.yml", VaultFixture.Encrypt(Secret), diagnostics, new SourceSpan("secret.yml", 1, 1)).Should().BeNull();

        diagnostics.Should().ContainSingle().Which.ToString().Should().Be(
            "secret.yml(1,1): error SF0121: vault: 'secret.yml' needs a vault password and none was given (use --vault-password-file PATH, set STATEFORGE_VAULT_PASSWORD_FILE, or run on a terminal to be asked)");
    }

    [Fact]
    public void DecryptText_BinaryPlaintext_IsAnErrorNotGarbage()
    {
        var diagnostics = new DiagnosticBag();

        VaultFixture.Keyring().DecryptText("blob", VaultFixture.Encrypt([0xC3, 0x28, 0xFF]), diagnostics, SourceSpan.None).Should().BeNull();

        diagnostics.Should().ContainSingle().Which.Code.Should().Be("SF0124");
    }

    [Fact]
    public void KeyDerivation_IsPbkdf2Sha256With600kIterations()
    {
        var salt = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

        VaultCipher.DeriveKey("pw", salt).Should().Equal(Rfc2898DeriveBytes.Pbkdf2("pw"u8, salt, 600_000, HashAlgorithmName.SHA256, 32));
    }
}
