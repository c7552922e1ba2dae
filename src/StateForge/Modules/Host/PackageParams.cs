namespace StateForge.Modules.Host;

public enum PackageState
{
    Present,
    Absent,
    Latest,

    /// <summary>Ansible's alias of present.</summary>
    Installed,

    /// <summary>Ansible's alias of absent.</summary>
    Removed,
}

public enum PackageManager
{
    Auto,
    Apt,
    Dnf,
    Yum,
}

public sealed record PackageParams
{
    [Param("Package name, or a list (a comma-separated string is a list too). `name=version` pins a version (apt's syntax, " +
           "also accepted for dnf and yum, where it becomes name-version); a trailing * pins a version prefix (`nginx=1.22*`). " +
           "Names are package names only: no globs, paths or URLs.",
           Required = true, Aliases = ["pkg"])]
    public IReadOnlyList<string> Name { get; init; } = [];

    [Param("present (installed) installs what is missing; absent (removed) removes what is installed; latest also upgrades " +
           "installed packages to the candidate version.")]
    public PackageState State { get; init; } = PackageState.Present;

    [Param("The package manager: auto picks it from the facts (ansible_facts.pkg_mgr), else from what the host has " +
           "(dnf, then yum, then apt-get). The apt, dnf and yum modules force their own.")]
    public PackageManager Use { get; init; } = PackageManager.Auto;

    [Param("Refresh the package index first (apt-get update, dnf/yum makecache), in the same batch as the install. " +
           "It runs on every apply, and is not a change by itself.", Aliases = ["update-cache"])]
    public bool UpdateCache { get; init; }

    [Param("apt only: also install recommended packages (default false: --no-install-recommends).")]
    public bool InstallRecommends { get; init; }
}
