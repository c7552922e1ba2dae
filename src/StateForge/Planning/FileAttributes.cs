using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using StateForge.Facts;
using StateForge.Transport;

namespace StateForge.Planning;

/// <summary>The owner, group and mode a task wants on a path; null means "leave as it is".</summary>
public sealed record DesiredAttributes(string? Owner, string? Group, string? Mode)
{
    public static readonly DesiredAttributes None = new(null, null, null);

    /// <summary>The owner as `stat %U` prints it (a numeric uid resolved through getent), for comparing.</summary>
    public string? OwnerName { get; init; }

    /// <summary>The group as `stat %G` prints it.</summary>
    public string? GroupName { get; init; }

    public bool IsEmpty => Owner is null && Group is null && Mode is null;

    /// <summary>Probes that map numeric ids to names; list them in a module's Probes.</summary>
    public IEnumerable<FactProbe> Probes()
    {
        if (IsNumeric(Owner))
        {
            yield return IdProbe("passwd", Owner!);
        }

        if (IsNumeric(Group))
        {
            yield return IdProbe("group", Group!);
        }
    }

    /// <summary>Fills <see cref="OwnerName"/> and <see cref="GroupName"/> from the id probes.</summary>
    public async ValueTask<DesiredAttributes> ResolveAsync(HostFacts facts, CancellationToken cancellationToken)
    {
        var owner = Owner;
        var group = Group;
        if (IsNumeric(Owner))
        {
            owner = await NameAsync(facts, "passwd", Owner!, cancellationToken).ConfigureAwait(false);
        }

        if (IsNumeric(Group))
        {
            group = await NameAsync(facts, "group", Group!, cancellationToken).ConfigureAwait(false);
        }

        return this with { OwnerName = owner, GroupName = group };
    }

    private static bool IsNumeric(string? id) => id is { Length: > 0 } && id.All(char.IsAsciiDigit);

    private static CommandProbe IdProbe(string database, string id) => new("getent-" + database, ["getent", database, id]);

    private static async ValueTask<string> NameAsync(HostFacts facts, string database, string id, CancellationToken cancellationToken)
    {
        var result = await facts.GetAsync<CommandResult>(IdProbe(database, id), cancellationToken).ConfigureAwait(false);
        var name = result.Succeeded ? result.Stdout.Split(':')[0].Trim() : "";

        // An id without a name shows as UNKNOWN in stat; it can never compare equal, so it is always set.
        return name.Length > 0 ? name : id;
    }
}

/// <summary>What changing a path's owner, group and mode takes: diff lines, the step, the state after.</summary>
public sealed record AttributeChange(ImmutableArray<string> DiffLines, RemoteStep? Step, FileState After)
{
    public bool Changed => Step is not null;
}

/// <summary>
/// Owner, group and mode planning shared by the file modules: compares what a task wants with a
/// <see cref="FileState"/>, resolves symbolic modes (`u=rw,g=r`, `a+X`) the way Ansible does,
/// and builds the chown/chgrp/chmod step.
/// </summary>
public static partial class FileAttributes
{
    private const int PermBits = 0x0FFF; // 07777
    private const int ExecBits = 0x49; // 0111
    private const int DefaultUmask = 0x12; // 022, assumed when a symbolic mode has no "who"

    /// <summary>Null when the mode is valid octal or symbolic, else the error.</summary>
    public static string? ValidateMode(string? mode)
    {
        if (mode is null || IsOctal(mode) || (mode == "preserve"))
        {
            return null;
        }

        return mode.Split(',').All(c => SymbolicClause().IsMatch(c))
            ? null
            : $"mode must be in octal or symbolic form (e.g. '0644' or 'u=rw,g=r,o=r'), not '{mode}'";
    }

    public static bool IsOctal(string mode) => OctalMode().IsMatch(mode) && ParseOctal(mode) <= PermBits;

    /// <summary>The bits of an octal mode ("0644", "644", "0o644").</summary>
    public static int ParseOctal(string mode) =>
        Convert.ToInt32(mode.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? mode[2..] : mode, 8);

    /// <summary>Four octal digits, as <see cref="FileProbe"/> reports modes: 420 → "0644".</summary>
    public static string Format(int mode) => Convert.ToString(mode & PermBits, 8).PadLeft(4, '0');

    /// <summary>
    /// The permission bits a mode gives a path whose bits are now <paramref name="current"/>.
    /// Octal modes are absolute; symbolic clauses apply in order like chmod (X only for
    /// directories or already executable files; no "who" means "a" masked by the umask).
    /// </summary>
    public static int Resolve(string mode, int current, bool isDirectory, int umask = DefaultUmask)
    {
        if (IsOctal(mode))
        {
            return ParseOctal(mode);
        }

        var result = current & PermBits;
        foreach (var clause in mode.Split(','))
        {
            var m = SymbolicClause().Match(clause);
            if (!m.Success)
            {
                throw new FormatException($"bad symbolic permission for mode: {clause}");
            }

            var who = m.Groups["who"].Value;
            var useUmask = who.Length == 0;
            if (who.Length == 0 || who.Contains('a', StringComparison.Ordinal))
            {
                who = "ugo";
            }

            foreach (Capture action in m.Groups["action"].Captures)
            {
                var op = action.Value[0];
                var perms = action.Value[1..];
                foreach (var user in who.Distinct())
                {
                    var bits = PermsFor(user, perms, result, isDirectory, useUmask ? umask : 0);
                    result = Apply(user, op, bits, result);
                }
            }
        }

        return result;
    }

    /// <summary>The argument chmod gets: octal as five digits (so a directory's setgid bit really clears), symbolic as given.</summary>
    public static string ChmodArgument(string mode) => IsOctal(mode) ? "0" + Format(ParseOctal(mode)) : mode;

    /// <summary>The mode a new path gets when none is asked: 0644 for files, 0755 for directories (umask 022).</summary>
    public static string NewMode(string? mode, bool isDirectory)
    {
        var initial = isDirectory ? 0x1FF & ~DefaultUmask : 0x1B6 & ~DefaultUmask;
        return Format(mode is null || mode == "preserve" ? initial : Resolve(mode, initial, isDirectory));
    }

    /// <summary>Compares the wanted attributes with the path's and plans the change.</summary>
    /// <param name="noDereference">Change a symlink itself (chown -h); its mode cannot be changed on Linux and is ignored.</param>
    public static AttributeChange Plan(string path, FileState current, DesiredAttributes want, bool noDereference = false)
    {
        var lines = ImmutableArray.CreateBuilder<string>();
        var after = current;
        string? owner = null, group = null, mode = null;
        if (want.Owner is not null && !string.Equals(want.OwnerName ?? want.Owner, current.Owner, StringComparison.Ordinal))
        {
            owner = want.Owner;
            lines.Add($"owner: {current.Owner} -> {want.OwnerName ?? want.Owner}");
            after = after with { Owner = want.OwnerName ?? want.Owner };
        }

        if (want.Group is not null && !string.Equals(want.GroupName ?? want.Group, current.Group, StringComparison.Ordinal))
        {
            group = want.Group;
            lines.Add($"group: {current.Group} -> {want.GroupName ?? want.Group}");
            after = after with { Group = want.GroupName ?? want.Group };
        }

        var linkItself = noDereference && current.Kind == FileKind.Link;
        if (want.Mode is not null && !linkItself)
        {
            var now = ParseOctal(current.Mode.Length > 0 ? current.Mode : "0");
            var wanted = Resolve(want.Mode, now, current.Kind == FileKind.Directory);
            if (wanted != now)
            {
                mode = Format(wanted);
                lines.Add($"mode: {Format(now)} -> {mode}");
                after = after with { Mode = mode };
            }
        }

        if (lines.Count == 0)
        {
            return new AttributeChange([], null, current);
        }

        var step = new RemoteStep($"set {string.Join(", ", lines.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]))} of {path}", Script(path, owner, group, mode, linkItself));
        return new AttributeChange(lines.ToImmutable(), step, after);
    }

    /// <summary>chown/chgrp/chmod of one path (or a tree), every value quoted.</summary>
    public static string Script(string path, string? owner, string? group, string? mode, bool noDereference = false, bool recursive = false)
    {
        var commands = new List<string>();
        var flags = new List<string>();
        if (recursive)
        {
            flags.Add("-R");
        }

        if (noDereference || recursive)
        {
            // With -R, chown would otherwise change the targets of symlinks found in the tree.
            flags.Add("-h");
        }

        if (owner is not null)
        {
            commands.Add(Shell.Command(["chown", .. flags, "--", owner, path]));
        }

        if (group is not null)
        {
            commands.Add(Shell.Command(["chgrp", .. flags, "--", group, path]));
        }

        if (mode is not null && !noDereference)
        {
            commands.Add(Shell.Command(["chmod", .. (recursive ? new[] { "-R" } : []), "--", ChmodArgument(mode), path]));
        }

        return string.Join(" && ", commands);
    }

    /// <summary>Ansible's name for what is at a path: file, directory, link or absent.</summary>
    public static string StateName(FileState state) => state.Kind switch
    {
        FileKind.Absent => "absent",
        FileKind.Directory => "directory",
        FileKind.Link => "link",
        _ => "file",
    };

    /// <summary>A plan-friendly summary of a path (no content), for a change's Before/After.</summary>
    public static ImmutableDictionary<string, object?> Describe(string path, FileState state)
    {
        var d = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        d["path"] = path;
        d["state"] = StateName(state);
        if (state.Exists)
        {
            // A planned file's owner or group can be unknown until it exists: say nothing rather than "".
            foreach (var (key, value) in new[] { ("owner", state.Owner), ("group", state.Group), ("mode", state.Mode) })
            {
                if (value.Length > 0)
                {
                    d[key] = value;
                }
            }

            if (state.Kind == FileKind.File)
            {
                d["size"] = state.Size;
            }

            if (state.LinkTarget is not null)
            {
                d["src"] = state.LinkTarget;
            }
        }

        return d.ToImmutable();
    }

    /// <summary>A short before/after diff of a path's state and attributes ("-mode: 0644" / "+mode: 0600").</summary>
    public static string Diff(string path, FileState before, FileState after) => Diff(path, Describe(path, before), Describe(path, after));

    public static string Diff(string path, IReadOnlyDictionary<string, object?> before, IReadOnlyDictionary<string, object?> after) =>
        TextDiff.Unified(Render(before), Render(after), "before: " + path, "after: " + path, context: 20);

    private static string Render(IReadOnlyDictionary<string, object?> d) =>
        string.Concat(new[] { "path", "state", "src", "owner", "group", "mode", "size" }
            .Where(d.ContainsKey)
            .Select(k => $"{k}: {Convert.ToString(d[k], CultureInfo.InvariantCulture)}\n"));

    /// <summary>
    /// Follows symlinks to the final path (like realpath, lexically) and returns what is there;
    /// each hop costs a fact fetch unless the target was already probed or simulated.
    /// </summary>
    public static async ValueTask<(string Path, FileState State)> FollowAsync(
        HostFacts facts, string path, FileState state, bool withContent, CancellationToken cancellationToken)
    {
        // Like the kernel, give up after 40 hops (a loop stays a link, which callers refuse).
        for (var hops = 0; hops < 40 && state.Kind == FileKind.Link && state.LinkTarget is not null; hops++)
        {
            path = Normalize(state.LinkTarget.StartsWith('/') ? state.LinkTarget : Parent(path) + "/" + state.LinkTarget);
            state = await facts.GetAsync<FileState>(new FileProbe(path, withContent), cancellationToken).ConfigureAwait(false);
        }

        return (path, state);
    }

    /// <summary>The directory holding a path ("." for a bare name, "/" at the root).</summary>
    public static string Parent(string path)
    {
        var trimmed = TrimSlashes(path);
        var slash = trimmed.LastIndexOf('/');
        return slash switch
        {
            < 0 => ".",
            0 => "/",
            _ => trimmed[..slash],
        };
    }

    /// <summary>Drops trailing slashes (stat of "link/" would follow the link), keeping "/".</summary>
    public static string TrimSlashes(string path)
    {
        var trimmed = path.TrimEnd('/');
        return trimmed.Length == 0 && path.Length > 0 ? "/" : trimmed;
    }

    /// <summary>Removes ".", ".." and doubled slashes without touching the file system.</summary>
    public static string Normalize(string path)
    {
        var absolute = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".." || !absolute)
            {
                parts.Add(part);
            }
        }

        var joined = string.Join('/', parts);
        return absolute ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    private static int PermsFor(char user, string perms, int current, bool isDirectory, int umask)
    {
        var keep = ~umask & PermBits;
        var applyX = isDirectory || (current & ExecBits) != 0;
        var (shift, special) = user switch
        {
            'u' => (6, 0x800), // setuid
            'g' => (3, 0x400), // setgid
            _ => (0, 0),
        };
        var bits = 0;
        foreach (var p in perms)
        {
            bits |= p switch
            {
                'r' => (4 << shift) & keep,
                'w' => (2 << shift) & keep,
                'x' => (1 << shift) & keep,
                'X' => applyX ? 1 << shift : 0,
                's' => special,
                't' => user == 'o' ? 0x200 : 0, // sticky
                'u' => ((current >> 6) & 7) << shift,
                'g' => ((current >> 3) & 7) << shift,
                'o' => (current & 7) << shift,
                _ => 0,
            };
        }

        return bits;
    }

    private static int Apply(char user, char op, int bits, int current)
    {
        var mask = user switch
        {
            'u' => 0x1C0 | 0x800,
            'g' => 0x38 | 0x400,
            _ => 0x7 | 0x200,
        };
        return op switch
        {
            '=' => (current & ~mask) | bits,
            '+' => current | bits,
            _ => current & ~bits,
        };
    }

    [GeneratedRegex("^(0[oO])?[0-7]{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex OctalMode();

    [GeneratedRegex("^(?<who>[ugoa]*)(?<action>[-+=][rwxXst]*|[-+=][ugo])+$", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolicClause();

    /// <summary>Every parent of a path, outermost first ("/" excluded): what mkdir -p may have to create.</summary>
    public static List<string> Ancestors(string path)
    {
        var list = new List<string>();
        for (var p = FileAttributes.Parent(path); p is not ("/" or "."); p = FileAttributes.Parent(p))
        {
            list.Insert(0, p);
        }

        return list;
    }

    /// <summary>The last part of a path, trailing slashes ignored.</summary>
    public static string BaseName(string path)
    {
        var trimmed = FileAttributes.TrimSlashes(path);
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }
}
