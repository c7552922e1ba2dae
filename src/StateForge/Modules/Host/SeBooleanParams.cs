namespace StateForge.Modules.Host;

public sealed record SeBooleanParams
{
    [Param("The SELinux boolean, e.g. virt_use_nfs (letters, digits and _ only).", Required = true)]
    public string Name { get; init; } = "";

    [Param("The value it should have: true (on) or false (off).", Required = true)]
    public bool State { get; init; }

    [Param("Also the value kept in the policy store across reboots (setsebool -P). Both the runtime and the persisted " +
           "value are compared, so a runtime value changed by hand is drift even when the persisted one is right.")]
    public bool Persistent { get; init; }

    [Param("Where SELinux is disabled (or its tools are missing), skip the task instead of failing it when there is " +
           "nothing to manage: a runtime-only boolean, or no policy store.")]
    public bool IgnoreSelinuxState { get; init; }
}
