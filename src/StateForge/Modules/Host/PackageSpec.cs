using System.Text.RegularExpressions;

namespace StateForge.Modules.Host;

/// <summary>One entry of a package task's `name`: a package name, optionally pinned to a version (`name=1.2-3`, `name=1.2*`).</summary>
public sealed partial record PackageSpec(string Name, string? Version)
{
    /// <summary>Debian and RPM package names, an optional apt architecture qualifier (`libc6:i386`).</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9+._-]*(:[a-z0-9][a-z0-9-]*)?$")]
    private static partial Regex NamePattern();

    /// <summary>Debian and RPM versions (epoch:upstream-revision), optionally ending in * for a prefix.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+~:_-]*\*?$")]
    private static partial Regex VersionPattern();

    public bool IsPrefix => Version?.EndsWith('*') == true;

    /// <summary>Parses `name` or `name=version`; a value that is not a plain package name is an error, never passed on.</summary>
    public static PackageSpec? TryParse(string text, out string? error)
    {
        error = null;
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? text : text[..eq];
        var version = eq < 0 ? null : text[(eq + 1)..];
        if (name.Length > 200 || !NamePattern().IsMatch(name))
        {
            error = $"'{Printable(text)}' is not a package name (letters, digits and + . _ - only, optionally :arch; no globs, paths, URLs, spaces or shell syntax)";
            return null;
        }

        if (version is not null && (version.Length > 200 || !VersionPattern().IsMatch(version)))
        {
            error = $"'{Printable(text)}' has an invalid version pin (letters, digits and . + ~ : _ - only, optionally ending in *)";
            return null;
        }

        return new PackageSpec(name, version);
    }

    /// <summary>
    /// True when an installed version satisfies the pin (or there is no pin). apt pins a whole
    /// version; dnf and yum match `name-1.2` against any release of version 1.2, so there a pin
    /// also accepts the installed version followed by "-release". An epoch may be left out.
    /// </summary>
    public bool Accepts(string installedVersion, PackageManager manager)
    {
        if (Version is null)
        {
            return true;
        }

        foreach (var installed in new[] { installedVersion, WithoutEpoch(installedVersion) })
        {
            if (IsPrefix ? installed.StartsWith(Version[..^1], StringComparison.Ordinal)
                : installed == Version || (manager != PackageManager.Apt && installed.StartsWith(Version + "-", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The argument that asks the package manager for this package: apt `name=version`, dnf and yum `name-version`.</summary>
    public string Argument(PackageManager manager) => Version is null
        ? Name
        : manager == PackageManager.Apt ? $"{Name}={Version}" : $"{Name}-{Version}";

    public override string ToString() => Version is null ? Name : $"{Name}={Version}";

    /// <summary>A value as it can be shown in a message: control characters escaped, long values cut.</summary>
    public static string Printable(string text)
    {
        var shown = text.Length > 80 ? text[..80] + "…" : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
    }

    private static string WithoutEpoch(string version)
    {
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && version[..colon].All(char.IsAsciiDigit) ? version[(colon + 1)..] : version;
    }
}
