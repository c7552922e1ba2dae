using System.CommandLine;
using System.Text;
using StateForge.Cli.Rendering;
using StateForge.Diagnostics;
using StateForge.Reporting;
using StateForge.Secrets;

namespace StateForge.Cli.Commands;

/// <summary>
/// `stateforge vault encrypt|decrypt|view|rekey|encrypt-string`, like ansible-vault. Files are
/// rewritten atomically and keep their mode; errors are diagnostics (exit 4) that never hold the
/// password or the plaintext.
/// </summary>
internal static class VaultCommand
{
    private const string PasswordFileDescription =
        "File whose first line is the vault password, or an executable that prints it. Default: $STATEFORGE_VAULT_PASSWORD_FILE, else a prompt on a terminal.";

    public static Command Create(CliEnvironment env)
    {
        var command = new Command("vault", "Encrypt, decrypt and view vault files: variables files encrypted with AES-256-GCM that playbooks read transparently.");
        command.Subcommands.Add(Encrypt(env));
        command.Subcommands.Add(Decrypt(env));
        command.Subcommands.Add(View(env));
        command.Subcommands.Add(Rekey(env));
        command.Subcommands.Add(EncryptString(env));
        return command;
    }

    /// <summary>`--vault-password-file`, for every command that reads vault files.</summary>
    public static Option<string?> PasswordFileOption() => new("--vault-password-file") { Description = PasswordFileDescription };

    /// <summary>The keyring for a run of apply, check or validate: the option, the environment, or a prompt.</summary>
    public static VaultKeyring Keyring(CliEnvironment env, string? passwordFile) =>
        VaultKeyring.Create(passwordFile, _ => Prompts.Secret(env, "Vault password: "));

    private static Command Encrypt(CliEnvironment env)
    {
        var files = Files();
        var passwordFile = PasswordFileOption();
        var output = Output("Write the encrypted file here instead of replacing FILE (one FILE only).");
        var command = new Command("encrypt", "Encrypt files in place.") { files, passwordFile, output };
        command.SetAction(parse =>
        {
            var keyring = NewPasswordKeyring(env, parse.GetValue(passwordFile));
            return EachFile(env, parse.GetValue(files)!, parse.GetValue(output), (file, diagnostics) =>
            {
                if (Read(file, diagnostics) is not { } bytes)
                {
                    return null;
                }

                if (VaultFormat.IsEncrypted(Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, VaultFormat.Prefix.Length)))))
                {
                    diagnostics.Add(DiagnosticCatalog.VaultAlreadyEncrypted(SourceSpan.None, file));
                    return null;
                }

                return keyring.Encrypt(file, bytes, diagnostics, SourceSpan.None) is { } text ? Encoding.ASCII.GetBytes(text) : null;
            }, "Encrypted");
        });
        return command;
    }

    private static Command Decrypt(CliEnvironment env)
    {
        var files = Files();
        var passwordFile = PasswordFileOption();
        var output = Output("Write the plaintext here instead of replacing FILE (one FILE only).");
        var command = new Command("decrypt", "Decrypt files in place.") { files, passwordFile, output };
        command.SetAction(parse =>
        {
            var keyring = Keyring(env, parse.GetValue(passwordFile));
            return EachFile(env, parse.GetValue(files)!, parse.GetValue(output), (file, diagnostics) => Open(keyring, file, diagnostics), "Decrypted");
        });
        return command;
    }

    private static Command View(CliEnvironment env)
    {
        var files = Files();
        var passwordFile = PasswordFileOption();
        var command = new Command("view", "Print the plaintext of vault files; nothing is written.") { files, passwordFile };
        command.SetAction(parse =>
        {
            var keyring = Keyring(env, parse.GetValue(passwordFile));
            var diagnostics = new DiagnosticBag();
            foreach (var file in parse.GetValue(files)!)
            {
                if (ReadText(file, diagnostics) is { } text && Encrypted(file, text, diagnostics)
                    && keyring.DecryptText(file, text, diagnostics, SourceSpan.None) is { } plaintext)
                {
                    env.Out.Write(plaintext);
                }
            }

            return Finish(env, diagnostics);
        });
        return command;
    }

    private static Command Rekey(CliEnvironment env)
    {
        var files = Files();
        var passwordFile = PasswordFileOption();
        var newPasswordFile = new Option<string?>("--new-vault-password-file") { Description = "Where the new password comes from (file or executable); default: a prompt." };
        var command = new Command("rekey", "Re-encrypt vault files with a new password.") { files, passwordFile, newPasswordFile };
        command.SetAction(parse =>
        {
            var keyring = Keyring(env, parse.GetValue(passwordFile));
            var newKeyring = parse.GetValue(newPasswordFile) is { } path
                ? new VaultKeyring(new PasswordFileSource(path))
                : new VaultKeyring(new ConfirmedPrompt(env));
            return EachFile(env, parse.GetValue(files)!, output: null, (file, diagnostics) =>
                Open(keyring, file, diagnostics) is { } plaintext && newKeyring.Encrypt(file, plaintext, diagnostics, SourceSpan.None) is { } text
                    ? Encoding.ASCII.GetBytes(text)
                    : null, "Rekeyed");
        });
        return command;
    }

    private static Command EncryptString(CliEnvironment env)
    {
        var value = new Argument<string?>("VALUE") { Description = "The secret; read from standard input when omitted (safer: no shell history).", Arity = ArgumentArity.ZeroOrOne };
        var name = new Option<string?>("--name", "-n") { Description = "Print `NAME: !vault |` ready to paste into a vars file." };
        var passwordFile = PasswordFileOption();
        var command = new Command("encrypt-string", "Encrypt one value for a `!vault |` tagged YAML scalar.") { value, name, passwordFile };
        command.SetAction(parse =>
        {
            var keyring = NewPasswordKeyring(env, parse.GetValue(passwordFile));
            var secret = parse.GetValue(value) ?? Console.In.ReadToEnd().TrimEnd('\n');
            var diagnostics = new DiagnosticBag();
            if (keyring.Encrypt("the value", Encoding.UTF8.GetBytes(secret), diagnostics, SourceSpan.None) is { } text)
            {
                var key = parse.GetValue(name);
                env.Out.WriteLine($"{(key is null ? "" : key + ": ")}!vault |");
                foreach (var line in text.TrimEnd('\n').Split('\n'))
                {
                    env.Out.WriteLine("  " + line);
                }
            }

            return Finish(env, diagnostics);
        });
        return command;
    }

    private static Argument<string[]> Files() => new("FILE") { Description = "Vault files.", Arity = ArgumentArity.OneOrMore };

    private static Option<string?> Output(string description) => new("--output") { Description = description };

    /// <summary>Encrypting asks for a new password twice; a file or script is trusted as it is.</summary>
    private static VaultKeyring NewPasswordKeyring(CliEnvironment env, string? passwordFile) =>
        VaultKeyring.Create(passwordFile, new ConfirmedPrompt(env));

    /// <summary>Transforms each file and writes the result atomically (over it, or to --output); reports all problems.</summary>
    private static int EachFile(CliEnvironment env, string[] files, string? output, Func<string, DiagnosticBag, byte[]?> transform, string done)
    {
        var diagnostics = new DiagnosticBag();
        if (output is not null && files.Length != 1)
        {
            env.Error.WriteLine("error: --output takes exactly one FILE");
            return ExitCodes.InvalidInput;
        }

        foreach (var file in files)
        {
            if (transform(file, diagnostics) is not { } content)
            {
                continue;
            }

            var target = output ?? file;
            if (SecretFileWriter.Write(target, content) is { } problem)
            {
                diagnostics.Add(DiagnosticCatalog.VaultFileError(SourceSpan.None, target, $"write the file ({problem})"));
                continue;
            }

            env.Out.WriteLine(output is null ? $"{done} {file}" : $"{done} {file} to {output}");
        }

        return Finish(env, diagnostics);
    }

    private static byte[]? Open(VaultKeyring keyring, string file, DiagnosticBag diagnostics) =>
        ReadText(file, diagnostics) is { } text && Encrypted(file, text, diagnostics)
            ? keyring.Decrypt(file, text, diagnostics, SourceSpan.None)
            : null;

    private static bool Encrypted(string file, string text, DiagnosticBag diagnostics)
    {
        if (VaultFormat.IsEncrypted(text))
        {
            return true;
        }

        diagnostics.Add(DiagnosticCatalog.VaultNotEncrypted(SourceSpan.None, file));
        return false;
    }

    private static string? ReadText(string file, DiagnosticBag diagnostics) =>
        Read(file, diagnostics) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    private static byte[]? Read(string file, DiagnosticBag diagnostics)
    {
        if (!File.Exists(file))
        {
            diagnostics.Add(DiagnosticCatalog.FileNotFound(SourceSpan.None, "file", file));
            return null;
        }

        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.VaultFileError(SourceSpan.None, file, $"read the file ({e.Message})"));
            return null;
        }
    }

    private static int Finish(CliEnvironment env, DiagnosticBag diagnostics)
    {
        ConsoleRenderer.Diagnostics(Consoles.For(env.Error, env), diagnostics.Sorted());
        return diagnostics.HasErrors ? ExitCodes.InvalidInput : ExitCodes.Success;
    }

    /// <summary>A new password typed twice on the terminal; null (no password) without one.</summary>
    private sealed class ConfirmedPrompt(CliEnvironment env) : IVaultPasswordSource
    {
        public PasswordLookup GetPassword(string file)
        {
            if (Prompts.Secret(env, "New vault password: ") is not { } first)
            {
                return PasswordLookup.None;
            }

            if (first.Length == 0)
            {
                return PasswordLookup.Failed("the vault password is empty");
            }

            return Prompts.Secret(env, "Confirm new vault password: ") == first
                ? PasswordLookup.Found(first)
                : PasswordLookup.Failed("the passwords typed did not match");
        }
    }
}
