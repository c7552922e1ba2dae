using System.Collections.Immutable;
using System.Text.RegularExpressions;
using StateForge.Facts;
using StateForge.Planning;

namespace StateForge.Modules.Host;

/// <summary>What the service module and its systemd and sysvinit forms share: validation, probes and planning.</summary>
internal static partial class ServicePlanner
{
    private static readonly PlannedPackagesProbe PlannedProbe = new();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,254}$")]
    private static partial Regex NamePattern();

    public static IEnumerable<string> Validate(ServiceParams parameters, ServiceManager? forced)
    {
        if (!NamePattern().IsMatch(parameters.Name))
        {
            yield return $"name: '{PackageSpec.Printable(parameters.Name)}' is not a service name (letters, digits and _ . @ : - only; no spaces or shell syntax)";
        }

        if (forced is { } f && parameters.Use != ServiceManager.Auto && parameters.Use != f)
        {
            yield return $"use: {ParameterSchema.SnakeCase(parameters.Use.ToString())} contradicts this module, which always uses {ParameterSchema.SnakeCase(f.ToString())}";
        }

        if (parameters.State is null && parameters.Enabled is null && !parameters.DaemonReload)
        {
            yield return "one of state, enabled or daemon_reload is required";
        }

        if (parameters.DaemonReload && (forced ?? parameters.Use) == ServiceManager.Sysvinit)
        {
            yield return "daemon_reload needs systemd, not use: sysvinit";
        }
    }

    /// <summary>Nothing for arguments that do not validate: no value of theirs reaches a host.</summary>
    public static IEnumerable<FactProbe> Probes(ServiceParams parameters, ServiceManager? forced) =>
        Validate(parameters, forced).Any() ? [] : [new ServiceStatusProbe(forced ?? parameters.Use, parameters.Name), PlannedProbe];

    public static async ValueTask<TaskPlan> PlanAsync(ServiceParams p, ServiceManager? forced, PlanContext context, CancellationToken cancellationToken)
    {
        var use = forced ?? p.Use;
        var probe = new ServiceStatusProbe(use, p.Name);
        var status = await context.Facts.GetAsync<ServiceStatus>(probe, cancellationToken).ConfigureAwait(false);
        var wanted = Wanted(use, PackagePlanner.AnsibleFact(context, "service_mgr"));
        if (wanted is { } w && w != status.Manager)
        {
            probe = new ServiceStatusProbe(w == "systemd" ? ServiceManager.Systemd : ServiceManager.Sysvinit, p.Name);
            status = await context.Facts.GetAsync<ServiceStatus>(probe, cancellationToken).ConfigureAwait(false);
        }

        if (!status.SystemdRunning)
        {
            return TaskPlan.Fail($"{context.Host}: systemd is not running there (PID 1 is not systemd), so it cannot manage '{p.Name}'; the service module picks init scripts there");
        }

        if (p.DaemonReload && status.Manager != "systemd")
        {
            return TaskPlan.Fail($"{context.Host}: daemon_reload needs systemd, but services there are managed by sysv init scripts");
        }

        var warnings = ImmutableArray<string>.Empty;
        if (!status.Exists && (p.State is not null || p.Enabled is not null))
        {
            var planned = await context.Facts.GetAsync<PlannedPackages>(PlannedProbe, cancellationToken).ConfigureAwait(false);
            if (!context.CheckMode || planned.Installing.Length == 0)
            {
                return TaskPlan.Fail($"{context.Host}: service '{p.Name}' was not found ({Where(status, probe)})");
            }

            // Check mode: an earlier task would install packages; the service most likely comes with them.
            warnings = [$"service '{p.Name}' is not on {context.Host} yet; assuming it comes with {string.Join(", ", planned.Installing)}, which an earlier task would install"];
            status = status with { Exists = true, Running = false, Enabled = false, EnabledState = "disabled" };
        }

        if (status.Masked && (p.State is ServiceState.Started or ServiceState.Restarted or ServiceState.Reloaded || p.Enabled == true))
        {
            return TaskPlan.Fail($"{context.Host}: service '{p.Name}' is masked; unmask it before starting or enabling it");
        }

        if (p.Enabled == false && status.Enabled && status.CannotToggle)
        {
            return TaskPlan.Fail($"{context.Host}: unit '{p.Name}' is {status.EnabledState}: systemctl cannot disable it (mask it to keep it from starting)");
        }

        var plan = new ServicePlanBuilder(p, status, probe, context.CheckMode).Build();
        context.Facts.Simulate(probe, plan.After);
        return plan.Plan with { Warnings = plan.Plan.Warnings.AddRange(warnings) };
    }

    private static string? Wanted(ServiceManager use, string? serviceMgrFact) => use switch
    {
        ServiceManager.Systemd => "systemd",
        ServiceManager.Sysvinit => "sysv",
        _ => serviceMgrFact switch
        {
            "systemd" => "systemd",
            null or "" => null,
            _ => "sysv",
        },
    };

    private static string Where(ServiceStatus status, ServiceStatusProbe probe) =>
        status.Manager == "systemd" ? $"systemd knows no unit {probe.Name}" : $"no executable /etc/init.d/{probe.ScriptName}";
}
