using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using StateForge.Planning;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

[Module("volume", "oc_volume", Description = "Adds, swaps or removes a volume and its mounts in a workload's pod template, as `oc set volume --add --overwrite` does.")]
public sealed class VolumeModule : Module<VolumeParams>
{
    public override bool RunsOnController => true;

    public override string Examples => """
        - name: The registry keeps its images on the claim instead of an emptyDir
          volume:
            kind: DeploymentConfig
            name: docker-registry
            namespace: default
            volume_name: registry-storage
            persistent_volume_claim:
              claim_name: registry-claim
            mount_path: /registry
            overwrite: true
            wait: true
          register: swap

        - name: A scratch directory for one container
          volume:
            kind: Deployment
            name: web
            volume_name: cache
            empty_dir: {}
            mount_path: /var/cache/web
            containers: [web]

        - name: Configuration files from a ConfigMap
          volume:
            kind: StatefulSet
            name: db
            volume_name: config
            config_map:
              name: db-config
              default_mode: "0644"
            mount_path: /etc/db
            read_only: true

        - name: No longer mounted
          volume:
            kind: DaemonSet
            name: logger
            volume_name: old-logs
            state: absent
        """;

    protected override IEnumerable<string> Validate(VolumeParams parameters)
    {
        foreach (var mode in new[] { parameters.ConfigMap?.DefaultMode, parameters.Secret?.DefaultMode }.OfType<string>())
        {
            if (mode.Length == 0 || mode.Any(c => c is < '0' or > '7'))
            {
                yield return $"default_mode '{mode}' must be an octal mode such as \"0644\"";
            }
        }

        if (parameters.MountPath is { } path && !path.StartsWith('/'))
        {
            yield return $"mount_path '{path}' must be absolute";
        }

        if (parameters.WaitTimeout <= 0)
        {
            yield return "wait_timeout must be positive";
        }
    }

    protected override ValueTask<TaskPlan> PlanAsync(VolumeParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ClusterTask.GuardAsync(async () =>
        {
            var cluster = ClusterTask.Connect(parameters, context);
            var (type, ns) = await ResolveAsync(parameters, cluster, cancellationToken).ConfigureAwait(false);
            var resource = Resource(type, ns, parameters);
            // The dry run sends the resourceVersion read (maybe by an earlier task): a 409 means read again.
            var (live, answer) = await cluster.RetryOnConflictAsync(type, ns, parameters.Name, async attempt =>
            {
                var current = await ReadAsync(cluster, type, ns, parameters.Name, cancellationToken).ConfigureAwait(false);
                var edited = current.CloneObject();
                if (!PodTemplateVolumes.Apply(edited, parameters, type.Describe(ns, parameters.Name)))
                {
                    return (current, (JsonObject?)null);
                }

                // A workload an earlier task of this check would create is not on the server to dry-run against.
                return cluster.IsSimulated(type, ns, parameters.Name)
                    ? (current, edited)
                    : (current, await cluster.ReplaceAsync(type, ns, parameters.Name, edited, dryRun: true, cancellationToken).ConfigureAwait(false));
            }, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return TaskPlan.Ok(Result(type, live, live), ResourceChange.NoChange(resource));
            }

            var (before, after) = (PodTemplateVolumes.View(live, parameters.VolumeName), PodTemplateVolumes.View(answer, parameters.VolumeName));
            var action = parameters.State == ObjectState.Absent ? ChangeAction.Delete : before["volumes"]!.AsArray().Count == 0 ? ChangeAction.Create : ChangeAction.Modify;
            var diff = TextDiff.Unified(ObjectYaml.Render(before), ObjectYaml.Render(after), $"{resource} (live)", $"{resource} (dry run)");
            var change = new ResourceChange(resource, action, JsonPlain.ToPlain(before), JsonPlain.ToPlain(after), diff);
            return new TaskPlan { Changes = [change], Result = Result(type, live, answer, predicted: true) };
        });

    protected override ValueTask<TaskPlan> ApplyAsync(VolumeParams parameters, TaskPlan plan, PlanContext context, CancellationToken cancellationToken) =>
        ClusterTask.GuardAsync(async () =>
        {
            var cluster = ClusterTask.Connect(parameters, context);
            var (type, ns) = await ResolveAsync(parameters, cluster, cancellationToken).ConfigureAwait(false);
            var name = parameters.Name;
            JsonObject? before = null;
            var written = await cluster.RetryOnConflictAsync(type, ns, name, async attempt =>
            {
                // A retry after 409 Conflict starts again from the object as it is now.
                before = await ReadAsync(cluster, type, ns, name, cancellationToken).ConfigureAwait(false);
                var edited = before.CloneObject();
                return PodTemplateVolumes.Apply(edited, parameters, type.Describe(ns, name))
                    ? await cluster.ReplaceAsync(type, ns, name, edited, dryRun: false, cancellationToken).ConfigureAwait(false)
                    : before;
            }, cancellationToken).ConfigureAwait(false);

            // Triggers (a DeploymentConfig's config change) update the status right after the write: read it back.
            var current = await cluster.GetAsync(type, ns, name, cancellationToken, fresh: true).ConfigureAwait(false) ?? written;
            if (parameters.Wait)
            {
                var timeout = TimeSpan.FromSeconds(parameters.WaitTimeout);
                var (last, done) = await cluster.WaitAsync(type, ns, name, o => Readiness.IsReadyAsync(cluster, type, o, null, cancellationToken), timeout, cancellationToken).ConfigureAwait(false);
                if (!done)
                {
                    throw new ClusterTaskException($"{type.Describe(ns, name)}: the rollout did not finish within {timeout.TotalSeconds:0}s: {Readiness.Describe(last)}");
                }

                current = last!;
            }

            return plan with { Result = Result(type, before, current) };
        }, plan);

    private static async Task<JsonObject> ReadAsync(KubeCluster cluster, ResourceType type, string ns, string name, CancellationToken cancellationToken) =>
        await cluster.GetAsync(type, ns, name, cancellationToken).ConfigureAwait(false)
            ?? throw new ClusterTaskException($"{type.Describe(ns, name)} not found");

    private static async Task<(ResourceType Type, string Namespace)> ResolveAsync(VolumeParams parameters, KubeCluster cluster, CancellationToken cancellationToken)
    {
        var apiVersion = parameters.Kind switch
        {
            WorkloadKind.DeploymentConfig => "apps.openshift.io/v1",
            WorkloadKind.ReplicationController => "v1",
            _ => "apps/v1",
        };
        var type = await cluster.ResolveAsync(apiVersion, parameters.Kind.ToString(), cancellationToken).ConfigureAwait(false);
        return (type, parameters.Namespace ?? cluster.DefaultNamespace);
    }

    private static string Resource(ResourceType type, string ns, VolumeParams parameters) => $"{type.Describe(ns, parameters.Name)} volume {parameters.VolumeName}";

    private static ImmutableDictionary<string, object?> Result(ResourceType type, JsonObject? before, JsonObject? after, bool predicted = false)
    {
        var volume = after.Obj("spec").Obj("template").Obj("spec").Arr("volumes");
        var values = new List<(string, object?)> { ("result", JsonPlain.ToPlain(after)) };
        if (type.Kind == "DeploymentConfig")
        {
            var latest = after.Obj("status").Long("latestVersion") ?? 0;
            if (predicted && before is not null && !JsonNode.DeepEquals(before.Obj("spec")?["template"], after.Obj("spec")?["template"]) &&
                after.Obj("spec").Arr("triggers")?.OfType<JsonObject>().Any(t => t.Str("type") == "ConfigChange") == true &&
                after.Obj("spec")?["paused"]?.GetValue<bool>() != true && (after.Obj("status").Long("latestVersion") ?? 0) == (before.Obj("status").Long("latestVersion") ?? 0))
            {
                // A dry run does not run the config-change trigger; the write will.
                latest++;
            }

            values.Add(("latest_version", latest));
            values.Add(("rollout", latest > 0 ? $"{after!.Name()}-{latest.ToString(CultureInfo.InvariantCulture)}" : null));
        }
        else
        {
            values.Add(("generation", after.Obj("metadata").Long("generation")));
        }

        values.Add(("volumes", JsonPlain.ToPlain(volume)));
        return ClusterTask.Result([.. values]);
    }
}
