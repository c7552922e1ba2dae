using System.Diagnostics;
using StateForge.Cli;

namespace StateForge.Lab.Registry;

/// <summary>
/// The README's first command: playbooks/registry.yml, the real job, against the registry lab —
/// apply, check (exit 0), a drift made by hand, check finding it (exit 2), apply repairing it —
/// then the lab is removed. Exit 0 when every step ended as it should.
/// </summary>
public static class RegistryDemo
{
    public static async Task<int> RunAsync()
    {
        var env = CliEnvironment.FromProcess();
        var console = env.Out;
        Say(console, "StateForge registry demo",
            "A local stand-in for an OpenShift 3 cluster: three systemd containers (master, node1, node2) with real",
            "sshd, iptables, packages and services, and a Kubernetes API test server holding the registry as",
            "`oadm registry` leaves it. The first start builds the lab's package layers from the Debian mirror (~3 min).");
        var clock = Stopwatch.StartNew();
        await using var lab = await RegistryLab.StartAsync(cancellationToken: env.Cancellation);
        console.WriteLine($"lab up in {lab.Timings.Total.TotalSeconds:0.0} s: master {lab.Master.Address}, nodes {string.Join(", ", lab.Nodes.Select(n => n.Address))}, API {lab.Server.BaseUri}");
        console.WriteLine($"inventory: {lab.InventoryPath}");

        // The registry pod's stand-in (the API server runs no pods): docker-registry on the master.
        using (var quiet = new StringWriter())
        {
            var standIn = await StateForgeCli.RunAsync(Args(lab, "apply", RegistryLabAssets.RegistryStandInPlaybook), CliEnvironment.Plain(quiet, quiet, env.Cancellation));
            if (standIn != 0)
            {
                console.WriteLine(quiet.ToString());
                console.WriteLine($"the registry's stand-in did not start (exit {standIn})");
                return 1;
            }
        }

        var ok = true;
        ok &= await StepAsync(env, lab, "1. Apply the chapter", 0, "apply", RegistryLabAssets.RegistryPlaybook);
        ok &= await StepAsync(env, lab, "2. Check: nothing has drifted", 0, "check", RegistryLabAssets.RegistryPlaybook);

        Say(console, "3. Drift by hand on the master",
            "iptables -D OS_FIREWALL_ALLOW ... --dport 2049 ...   (the NFS port, at runtime only)",
            "sed -i s/all_squash/no_root_squash/ /etc/exports");
        var rule = (await lab.ShellAsync(lab.Master, "iptables -S OS_FIREWALL_ALLOW | grep -- '--dport 2049'")).StdOut.Trim();
        (await lab.ShellAsync(lab.Master, "iptables " + rule.Replace("-A ", "-D ", StringComparison.Ordinal))).EnsureSuccess("delete the 2049 rule");
        (await lab.ShellAsync(lab.Master, "sed -i 's/all_squash/no_root_squash/' /etc/exports")).EnsureSuccess("edit /etc/exports");

        ok &= await StepAsync(env, lab, "4. Check finds the drift (exit 2), with diffs", 2, "check", RegistryLabAssets.RegistryPlaybook, "--diff");
        ok &= await StepAsync(env, lab, "5. Apply repairs exactly that", 0, "apply", RegistryLabAssets.RegistryPlaybook);

        Say(console, $"Done in {clock.Elapsed.TotalSeconds:0} s; the lab is removed now.",
            "On real hosts and a real cluster: put your master and nodes in an inventory like inventory/example.yml",
            "(groups masters and nodes, `kubeconfig`, `registry_health_url`), then",
            "  stateforge apply playbooks/registry.yml -i inventory/example.yml",
            "  stateforge check playbooks/registry.yml -i inventory/example.yml   # drift: exit 2 (cron, CI)");
        return ok ? 0 : 1;
    }

    private static async Task<bool> StepAsync(CliEnvironment env, RegistryLab lab, string title, int expected, string command, string playbook, params string[] options)
    {
        Say(env.Out, title, $"$ stateforge {command} {Path.GetRelativePath(RegistryLabAssets.RepositoryRoot, playbook)} -i {lab.InventoryPath} {string.Join(' ', options)}".TrimEnd());
        var code = await StateForgeCli.RunAsync(Args(lab, command, playbook, options), env);
        env.Out.WriteLine(code == expected ? $"=> exit {code}, as expected" : $"=> exit {code}, expected {expected}");
        return code == expected;
    }

    private static string[] Args(RegistryLab lab, string command, string playbook, params string[] options) =>
        [command, playbook, "-i", lab.InventoryPath, "--known-hosts", lab.Lab.KnownHostsPath, .. options];

    private static void Say(TextWriter console, string title, params string[] lines)
    {
        console.WriteLine();
        console.WriteLine("### " + title);
        foreach (var line in lines)
        {
            console.WriteLine(line);
        }

        console.WriteLine();
    }
}
