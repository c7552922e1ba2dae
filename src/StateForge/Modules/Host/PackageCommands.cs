namespace StateForge.Modules.Host;

/// <summary>The argument vectors each package manager runs; quoted by <see cref="Transport.Shell"/> only.</summary>
internal static class PackageCommands
{
    // Wait for another apt or dpkg run (unattended-upgrades) instead of failing on its lock.
    private static readonly string[] AptLock = ["-o", "DPkg::Lock::Timeout=120"];

    public static string Program(PackageManager manager) => manager switch
    {
        PackageManager.Apt => "apt-get",
        PackageManager.Dnf => "dnf",
        _ => "yum",
    };

    public static IReadOnlyList<string> UpdateCache(PackageManager manager) => manager == PackageManager.Apt
        ? ["apt-get", "update", .. AptLock]
        : [Program(manager), "-y", "makecache"];

    public static IReadOnlyList<string> Install(PackageManager manager, IEnumerable<string> arguments, bool installRecommends) => manager == PackageManager.Apt
        ? ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", installRecommends ? "--install-recommends" : "--no-install-recommends",
            .. AptLock, "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold", "--", .. arguments]
        : [Program(manager), "-y", "install", .. arguments];

    /// <summary>apt-get install upgrades too; dnf and yum need their own verb for an installed package.</summary>
    public static IReadOnlyList<string> Upgrade(PackageManager manager, IEnumerable<string> names, bool installRecommends) => manager switch
    {
        PackageManager.Apt => Install(manager, names, installRecommends),
        PackageManager.Dnf => ["dnf", "-y", "upgrade", .. names],
        _ => ["yum", "-y", "update", .. names],
    };

    public static IReadOnlyList<string> Remove(PackageManager manager, IEnumerable<string> names) => manager == PackageManager.Apt
        ? ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "-y", .. AptLock, "--", .. names]
        : [Program(manager), "-y", "remove", .. names];
}
