using System.Text.Json.Nodes;
using StateForge.Planning;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

[Module("pv", "persistent_volume", Description = "Manages a PersistentVolume (NFS or host path); a change to its immutable source is refused unless recreate is set.")]
public sealed class PvModule : Module<PvParams>
{
    private static readonly string[] SourceFields = ["nfs", "hostPath", "volumeMode"];

    public override bool RunsOnController => true;

    public override string Examples => """
        - name: The registry's NFS volume
          pv:
            name: registry-volume
            capacity: 5Gi
            access_modes: [ReadWriteMany]
            nfs:
              server: nfs.example.com
              path: /exports/registry
            reclaim_policy: Retain
            labels:
              storage: registry

        - name: Moved to another export (the source is immutable)
          pv:
            name: registry-volume
            capacity: 5Gi
            access_modes: [ReadWriteMany]
            nfs:
              server: nfs2.example.com
              path: /exports/registry
            recreate: true

        - name: A host path volume on a one-node lab
          pv:
            name: lab-volume
            capacity: 1Gi
            host_path:
              path: /srv/lab-volume
            storage_class: manual
            kubeconfig: ~/.kube/config

        - name: Gone
          pv:
            name: old-volume
            state: absent
        """;

    protected override IEnumerable<string> Validate(PvParams parameters)
    {
        if (parameters.State == ObjectState.Present)
        {
            if (parameters.Capacity is null)
            {
                yield return "capacity is required with state present";
            }
            else if (!Quantity.TryParse(parameters.Capacity, out _))
            {
                yield return $"capacity '{parameters.Capacity}' is not a quantity (e.g. 5Gi)";
            }

            if (parameters.Nfs is null && parameters.HostPath is null)
            {
                yield return "one of nfs or host_path is required with state present";
            }
        }
    }

    protected override ValueTask<TaskPlan> PlanAsync(PvParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ClusterTask.GuardAsync(async () =>
        {
            var cluster = ClusterTask.Connect(parameters, context);
            var declared = await DeclareAsync(parameters, cluster, cancellationToken).ConfigureAwait(false);
            if (parameters.State == ObjectState.Absent)
            {
                var gone = await ObjectSync.PlanAbsentAsync(cluster, declared, context.CheckMode, cancellationToken).ConfigureAwait(false);
                return new TaskPlan { Changes = [gone.ToResourceChange()], Result = Result(gone.Live) };
            }

            var live = await cluster.GetAsync(declared.Type, null, declared.Name, cancellationToken).ConfigureAwait(false);
            var immutable = ImmutableFields.Compare(live.Obj("spec"), declared.Body.Obj("spec")!, SourceFields);
            if (immutable.Count > 0)
            {
                return await PlanReplacementAsync(parameters, cluster, declared, live!, immutable, cancellationToken).ConfigureAwait(false);
            }

            var change = await ObjectSync.PlanPresentAsync(cluster, declared, WriteMode.Apply, force: true, context.CheckMode, cancellationToken).ConfigureAwait(false);
            return new TaskPlan { Changes = [change.ToResourceChange()], Result = Result(change.Live) };
        });

    protected override ValueTask<TaskPlan> ApplyAsync(PvParams parameters, TaskPlan plan, PlanContext context, CancellationToken cancellationToken) =>
        ClusterTask.GuardAsync(async () =>
        {
            var cluster = ClusterTask.Connect(parameters, context);
            var declared = await DeclareAsync(parameters, cluster, cancellationToken).ConfigureAwait(false);
            if (parameters.State == ObjectState.Absent)
            {
                await ObjectSync.DeleteAndWaitAsync(cluster, declared, TimeSpan.FromSeconds(parameters.WaitTimeout), cancellationToken).ConfigureAwait(false);
                return plan with { Result = Result(null) };
            }

            var live = await cluster.GetAsync(declared.Type, null, declared.Name, cancellationToken).ConfigureAwait(false);
            if (ImmutableFields.Compare(live.Obj("spec"), declared.Body.Obj("spec")!, SourceFields).Count > 0)
            {
                await ObjectSync.DeleteAndWaitAsync(cluster, declared, TimeSpan.FromSeconds(parameters.WaitTimeout), cancellationToken).ConfigureAwait(false);
            }

            var written = await ObjectSync.WriteAsync(cluster, declared, WriteMode.Apply, force: true, dryRun: false, cancellationToken).ConfigureAwait(false);
            return plan with { Result = Result(written) };
        }, plan);

    private static async Task<TaskPlan> PlanReplacementAsync(
        PvParams parameters, KubeCluster cluster, DeclaredObject declared, JsonObject live, List<ImmutableChange> immutable, CancellationToken cancellationToken)
    {
        var before = DeclaredProjection.Project(live, declared.Body);
        var diff = TextDiff.Unified(ObjectYaml.Render(before), ObjectYaml.Render(declared.Body), $"{declared.Resource} (live)", $"{declared.Resource} (replacement)");
        var change = new ResourceChange(declared.Resource, ChangeAction.Modify, JsonPlain.ToPlain(before), JsonPlain.ToPlain(declared.Body), diff);
        var plan = new TaskPlan { Changes = [change], Result = Result(live) };
        if (!parameters.Recreate)
        {
            return plan with { Failed = true, Message = ImmutableFields.Refusal(declared.Resource, immutable, "a volume's source is immutable; replacement is needed") };
        }

        if (live.Obj("spec").Obj("claimRef") is { } claim && live.Obj("status").Str("phase") == "Bound")
        {
            return plan with
            {
                Failed = true,
                Message = $"{declared.Resource} must be replaced ({string.Join(", ", immutable.Select(i => i.Describe()))}) but is bound to " +
                    $"PersistentVolumeClaim {claim.Str("namespace")}/{claim.Str("name")}; delete or move that claim first",
            };
        }

        await cluster.DeleteAsync(declared.Type, null, declared.Name, dryRun: true, cancellationToken).ConfigureAwait(false);
        return plan with { Warnings = [$"{declared.Resource} will be deleted and created again: {string.Join(", ", immutable.Select(i => i.Describe()))}"] };
    }

    private static async Task<DeclaredObject> DeclareAsync(PvParams parameters, KubeCluster cluster, CancellationToken cancellationToken)
    {
        var metadata = new JsonObject { ["name"] = parameters.Name };
        if (parameters.Labels is { Count: > 0 } labels)
        {
            metadata["labels"] = JsonPlain.ToNode(labels.ToDictionary(l => l.Key, l => (object?)l.Value));
        }

        var spec = new JsonObject();
        if (parameters.State == ObjectState.Present)
        {
            spec["capacity"] = new JsonObject { ["storage"] = parameters.Capacity };
            spec["accessModes"] = JsonPlain.ToNode(parameters.AccessModes);
            spec["persistentVolumeReclaimPolicy"] = parameters.ReclaimPolicy.ToString();
            if (parameters.StorageClass is { Length: > 0 } storageClass)
            {
                spec["storageClassName"] = storageClass;
            }

            if (parameters.MountOptions is { Count: > 0 } options)
            {
                spec["mountOptions"] = JsonPlain.ToNode(options);
            }

            if (parameters.Nfs is { } nfs)
            {
                spec["nfs"] = new JsonObject { ["server"] = nfs.Server, ["path"] = nfs.Path };
                if (nfs.ReadOnly is { } readOnly)
                {
                    spec["nfs"]!["readOnly"] = readOnly;
                }
            }
            else if (parameters.HostPath is { } hostPath)
            {
                spec["hostPath"] = new JsonObject { ["path"] = hostPath.Path };
                if (hostPath.Type is { } type)
                {
                    spec["hostPath"]!["type"] = type;
                }
            }
        }

        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolume", ["metadata"] = metadata, ["spec"] = spec };
        return await DeclaredObject.ResolveAsync(cluster, body, null, cancellationToken).ConfigureAwait(false);
    }

    private static System.Collections.Immutable.ImmutableDictionary<string, object?> Result(JsonObject? pv) =>
        ClusterTask.Result(
            ("phase", pv.Obj("status").Str("phase")),
            ("claim", pv.Obj("spec").Obj("claimRef") is { } claim ? $"{claim.Str("namespace")}/{claim.Str("name")}" : null),
            ("result", JsonPlain.ToPlain(pv)));
}
