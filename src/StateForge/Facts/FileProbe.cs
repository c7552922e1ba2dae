using System.Globalization;
using StateForge.Transport;

namespace StateForge.Facts;

/// <summary>Stat of a path (never following a final symlink), plus content for regular files when asked.</summary>
public sealed record FileProbe(string Path, bool WithContent = false) : FactProbe("file:" + Path)
{
    /// <summary>Files larger than this are compared by checksum only.</summary>
    public const long ContentLimit = 1024 * 1024;

    public override string Script
    {
        get
        {
            // Every probe of a play runs in one batch, on hosts that may be busy: as few processes
            // as the output needs (stat once, readlink only for links, no subshells, no cut).
            // The checksum reads stdin: for a name with a newline or backslash, sha256sum prefixes
            // its line with "\", and printf, never echo, prints values (dash's echo reads "\c" in
            // a hash as "stop output").
            var p = Shell.Quote(Path);
            var content = WithContent
                ? $"if [ -f {p} ] && [ ! -L {p} ] && [ \"${{sf_s##*|}}\" -le {ContentLimit} ]; then base64 -w0 -- {p}; fi; echo"
                : "echo";
            return $"if [ -L {p} ] || [ -e {p} ]; then sf_s=$(stat -c '%F|%U|%G|%a|%s' -- {p}) && printf '%s\\n' \"$sf_s\" && " +
                   $"{{ if [ -L {p} ]; then (readlink -- {p} || true; echo) | head -n 1; else echo; fi; }} && " +
                   $"{{ if [ -f {p} ] && [ ! -L {p} ]; then sf_h=$(sha256sum <{p}); printf '%s\\n' \"${{sf_h%% *}}\"; else echo; fi; }} && {content}; " +
                   "else echo absent; fi";
        }
    }

    public override bool IsSatisfiedBy(object? known) => !WithContent || known is FileState { ContentKnown: true };

    public override object? Parse(StepResult result)
    {
        var lines = result.Stdout.Split('\n');
        if (lines[0] == "absent" || !result.Succeeded)
        {
            return FileState.Absent;
        }

        var f = lines[0].Split('|');
        var kind = f[0] switch
        {
            "regular file" or "regular empty file" => FileKind.File,
            "directory" => FileKind.Directory,
            "symbolic link" => FileKind.Link,
            _ => FileKind.Other,
        };
        var link = lines.Length > 1 && lines[1].Length > 0 && kind == FileKind.Link ? lines[1] : null;
        var sha = lines.Length > 2 && lines[2].Length > 0 ? lines[2] : null;
        byte[]? content = null;
        if (kind == FileKind.File && WithContent && lines.Length > 3)
        {
            content = Convert.FromBase64String(lines[3]);
            if (content.Length == 0 && long.Parse(f[4], CultureInfo.InvariantCulture) > 0)
            {
                content = null;
            }
        }

        return new FileState(kind, f[1], f[2], NormalizeMode(f[3]), long.Parse(f[4], CultureInfo.InvariantCulture), link, sha, content);
    }

    /// <summary>Octal permission bits as four digits, e.g. "0644", "1777".</summary>
    public static string NormalizeMode(string octal) => octal.TrimStart('0').PadLeft(4, '0');
}
