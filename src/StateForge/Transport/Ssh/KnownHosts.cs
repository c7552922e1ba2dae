using System.Security.Cryptography;
using System.Text;

namespace StateForge.Transport.Ssh;

public enum HostKeyVerdict
{
    Known,
    Unknown,
    Changed,
    Revoked,
}

/// <summary>
/// An OpenSSH known_hosts file: plain and hashed (`|1|salt|hash`) host entries, patterns with
/// `*`, `?` and `!`, `[host]:port` for other ports, and `@revoked` markers.
/// </summary>
public sealed class KnownHosts
{
    private static readonly Lock WriteGate = new();
    private readonly List<Entry> entries;

    private KnownHosts(string path, List<Entry> entries)
    {
        Path = path;
        this.entries = entries;
    }

    public string Path { get; }

    public static KnownHosts Load(string path)
    {
        var entries = new List<Entry>();
        if (File.Exists(path))
        {
            foreach (var raw in File.ReadLines(path))
            {
                if (Parse(raw) is { } e)
                {
                    entries.Add(e);
                }
            }
        }

        return new KnownHosts(path, entries);
    }

    /// <summary>The name known_hosts uses for a host: `host`, or `[host]:port` off port 22.</summary>
    public static string HostName(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    public HostKeyVerdict Check(string host, int port, string keyType, byte[] key)
    {
        var name = HostName(host, port);
        var matching = entries.Where(e => e.Matches(name)).ToList();
        if (matching.Any(e => e.Revoked && e.Key.AsSpan().SequenceEqual(key)))
        {
            return HostKeyVerdict.Revoked;
        }

        var plain = matching.Where(e => !e.Revoked).ToList();
        if (plain.Any(e => e.KeyType == keyType && e.Key.AsSpan().SequenceEqual(key)))
        {
            return HostKeyVerdict.Known;
        }

        // Another key of the same type for this host means the key changed; a key of another type is just unknown.
        return plain.Any(e => e.KeyType == keyType) ? HostKeyVerdict.Changed : HostKeyVerdict.Unknown;
    }

    /// <summary>Records a new key (accept-new), appending a line as ssh does.</summary>
    public void Add(string host, int port, string keyType, byte[] key)
    {
        var line = $"{HostName(host, port)} {keyType} {Convert.ToBase64String(key)}";
        lock (WriteGate)
        {
            if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } dir)
            {
                Directory.CreateDirectory(dir);
            }

            var needsNewline = File.Exists(Path) && new FileInfo(Path).Length > 0 && !File.ReadAllText(Path).EndsWith('\n');
            File.AppendAllText(Path, (needsNewline ? "\n" : "") + line + "\n");
            entries.Add(Parse(line)!);
        }
    }

    public static string Fingerprint(byte[] key) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(key)).TrimEnd('=');

    private static Entry? Parse(string raw)
    {
        var line = raw.Trim();
        if (line.Length == 0 || line.StartsWith('#'))
        {
            return null;
        }

        var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var revoked = false;
        var i = 0;
        if (fields[0].StartsWith('@'))
        {
            if (fields[0] == "@cert-authority")
            {
                return null;
            }

            revoked = fields[0] == "@revoked";
            i = 1;
        }

        if (fields.Length < i + 3)
        {
            return null;
        }

        try
        {
            return new Entry(fields[i], fields[i + 1], Convert.FromBase64String(fields[i + 2]), revoked);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record Entry(string Hosts, string KeyType, byte[] Key, bool Revoked)
    {
        public bool Matches(string name)
        {
            if (Hosts.StartsWith("|1|", StringComparison.Ordinal))
            {
                var parts = Hosts.Split('|');
                if (parts.Length != 4)
                {
                    return false;
                }

                var salt = Convert.FromBase64String(parts[2]);
                var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name));
                return Convert.ToBase64String(hash) == parts[3];
            }

            var matched = false;
            foreach (var pattern in Hosts.Split(','))
            {
                var negated = pattern.StartsWith('!');
                if (Glob(negated ? pattern[1..] : pattern, name))
                {
                    if (negated)
                    {
                        return false;
                    }

                    matched = true;
                }
            }

            return matched;
        }

        private static bool Glob(string pattern, string text)
        {
            if (!pattern.Contains('*') && !pattern.Contains('?'))
            {
                return string.Equals(pattern, text, StringComparison.OrdinalIgnoreCase);
            }

            var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
            return System.Text.RegularExpressions.Regex.IsMatch(text, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        }
    }
}
