using System.Collections.Immutable;
using System.Text.Json.Nodes;
using StateForge.Planning;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

[Module("pvc", "persistent_volume_claim", Description = "Manages a PersistentVolumeClaim and waits until it is bound; the result names the volume it got.")]
public sealed class PvcModule : Module<PvcParams>
{
    private static readonly string[] FixedFields = ["accessModes", "storageClassName", "selector", "volumeMode", "volumeName"];

    public override bool RunsOnController => true;

    public override string Examples => """
        - name: The registry's claim, bound before the registry uses it
          pvc:
            name: registry-claim
            namespace: default
            access_modes: [ReadWriteMany]
            request: 5Gi
            storage_class: ""
            selector:
              storage: registry
          register: claim

        - name: Pinned to one volume
          pvc:
            name: db-data
            namespace: db
            request: 10Gi
            volume_name: db-volume
            wait_timeout: 300

        - name: Not waiting for a binder that is not there yet
          pvc:
            name: scratch
            request: 1Gi
            wait: false

        - name: Gone
          pvc:
            name: old-claim
            namespace: default
            state: absent
        """;

    protected override IEnumerable<string> Validate(PvcParams parameters)
    {
        if (parameters.State == ObjectState.Present && parameters.Request is null)
        {
            yield return "request is required with state present";
        }
        else if (parameters.Request is not null && !Quantity.TryParse(parameters.Request, out _))
        {
            yield return $"request '{parameters.Request}' is not a quantity (e.g. 5Gi)";
        }
    }

    protected override ValueTask<TaskPlan> PlanAsync(PvcParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ClusterTask.GuardAsync(async () =>
        {
            var cluster = ClusterTask.Connect(parameters, context);
            var declared = await DeclareAsync(parameters, cluster, cancellationToken).ConfigureAwait(false);
            if (parameters.State == ObjectState.Absent)
            {
                var gone = await ObjectSync.PlanAbsentAsync(cluster, declared, context.CheckMode, cancellationToken).ConfigureAwait(false);
                return new TaskPlan { Changes = [gone.ToResourceChange()], Result = Result(gone.Live) };
            }

            var live = await cluster.GetAsync(declared.Type, declared.Namespace, declared.Name, cancellationToken).ConfigureAwait(false);
            if (live is not null)
            {
                Normalize(declared.Body, live);
                var refusal = ImmutableChanges(declared.Body, live);
                if (refusal.Count > 0)
                {
                    return await PlanReplacementAsync(parameters, cluster, declared, live, refusal, cancellationToken).ConfigureAwait(false);
                }
            }

            var change = await ObjectSync.PlanPresentAsync(cluster, declared, WriteMode.Apply, force: true, context.CheckMode, cancellationToken).ConfigureAwait(false);
            var plan = new TaskPlan { Changes = [change.ToResourceChange()], Result = Result(change.Live) };
            if (!change.Action.Equals(ChangeAction.None) || context.CheckMode || !parameters.Wait || live.Obj("status").Str("phase") == "Bound")
            {
                return plan;
            }

            // Nothing to write, but the claim is not bound yet: reading until it is writes nothing.
            return plan with { Result = Result(await WaitBoundAsync(parameters, cluster, declared, cancellationToken).ConfigureAwait(false)) };
        });

    protected override ValueTask<TaskPlan> ApplyAsync(PvcParams parameters, TaskPlan plan, PlanContext context, CancellationToken cancellationToken) =>
        ClusterTask.GuardAsync(async () =>
        {
            var cluster = ClusterTask.Connect(parameters, context);
            var declared = await DeclareAsync(parameters, cluster, cancellationToken).ConfigureAwait(false);
            var timeout = TimeSpan.FromSeconds(parameters.WaitTimeout);
            if (parameters.State == ObjectState.Absent)
            {
                await ObjectSync.DeleteAndWaitAsync(cluster, declared, timeout, cancellationToken).ConfigureAwait(false);
                return plan with { Result = Result(null) };
            }

            var live = await cluster.GetAsync(declared.Type, declared.Namespace, declared.Name, cancellationToken).ConfigureAwait(false);
            if (live is not null)
            {
                Normalize(declared.Body, live);
                if (ImmutableChanges(declared.Body, live).Count > 0)
                {
                    await ObjectSync.DeleteAndWaitAsync(cluster, declared, timeout, cancellationToken).ConfigureAwait(false);
                    live = null;
                    Normalize(declared.Body, null);
                }
            }

            var written = await ObjectSync.WriteAsync(cluster, declared, WriteMode.Apply, force: true, dryRun: false, cancellationToken).ConfigureAwait(false);
            if (parameters.Wait)
            {
                written = await WaitBoundAsync(parameters, cluster, declared, cancellationToken).ConfigureAwait(false);
            }

            return plan with { Result = Result(written) };
        }, plan);

    private static async Task<JsonObject> WaitBoundAsync(PvcParams parameters, KubeCluster cluster, DeclaredObject declared, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(parameters.WaitTimeout);
        var (last, bound) = await cluster.WaitAsync(declared.Type, declared.Namespace, declared.Name,
            o => ValueTask.FromResult(o.Obj("status").Str("phase") == "Bound"), timeout, cancellationToken).ConfigureAwait(false);
        if (!bound)
        {
            throw new ClusterTaskException(
                $"{declared.Resource}: not bound after {timeout.TotalSeconds:0}s ({Readiness.Describe(last)}): no Available PersistentVolume " +
                $"offers {Describe(declared.Body)}");
        }

        return last!;
    }

    private static string Describe(JsonObject body)
    {
        var spec = body.Obj("spec");
        var parts = new List<string>
        {
            $"{spec.Obj("resources").Obj("requests").Str("storage")} or more",
            string.Join(",", spec.Arr("accessModes")?.Select(m => m?.ToString()) ?? []),
            spec.Str("storageClassName") is { Length: > 0 } sc ? $"class {sc}" : "no storage class",
        };
        if (spec.Str("volumeName") is { } volume)
        {
            parts.Add($"named {volume}");
        }

        if (spec.Obj("selector").Obj("matchLabels") is { Count: > 0 } labels)
        {
            parts.Add("labels " + string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")));
        }

        return string.Join(", ", parts);
    }

    /// <summary>Drops declared values the live claim already means in another form ("" and no class are the same).</summary>
    private static void Normalize(JsonObject body, JsonObject? live)
    {
        var spec = body.Obj("spec")!;
        if (live is not null && spec.Str("storageClassName") == "" && live.Obj("spec").Str("storageClassName") is null or "")
        {
            spec.Remove("storageClassName");
            if (live.Obj("spec").Str("storageClassName") == "")
            {
                spec["storageClassName"] = "";
            }
        }
    }

    private static List<ImmutableChange> ImmutableChanges(JsonObject body, JsonObject live)
    {
        var spec = body.Obj("spec")!;
        var liveSpec = live.Obj("spec");
        var changes = ImmutableFields.Compare(liveSpec, spec, FixedFields.Where(f => f != "volumeName" || liveSpec.Str("volumeName") is { Length: > 0 }));
        var wanted = spec.Obj("resources").Obj("requests").Str("storage");
        var current = liveSpec.Obj("resources").Obj("requests").Str("storage");
        if (Quantity.TryParse(wanted, out var w) && Quantity.TryParse(current, out var c) && w < c)
        {
            changes.Add(new ImmutableChange("spec.resources.requests.storage", JsonValue.Create(current), JsonValue.Create(wanted)));
        }

        return changes;
    }

    private static async Task<TaskPlan> PlanReplacementAsync(
        PvcParams parameters, KubeCluster cluster, DeclaredObject declared, JsonObject live, List<ImmutableChange> immutable, CancellationToken cancellationToken)
    {
        var before = DeclaredProjection.Project(live, declared.Body);
        var diff = TextDiff.Unified(ObjectYaml.Render(before), ObjectYaml.Render(declared.Body), $"{declared.Resource} (live)", $"{declared.Resource} (replacement)");
        var plan = new TaskPlan
        {
            Changes = [new ResourceChange(declared.Resource, ChangeAction.Modify, JsonPlain.ToPlain(before), JsonPlain.ToPlain(declared.Body), diff)],
            Result = Result(live),
        };
        if (!parameters.Recreate)
        {
            return plan with { Failed = true, Message = ImmutableFields.Refusal(declared.Resource, immutable, "a claim's spec is immutable except a storage increase on a bound, expandable claim") };
        }

        await cluster.DeleteAsync(declared.Type, declared.Namespace, declared.Name, dryRun: true, cancellationToken).ConfigureAwait(false);
        var volume = live.Obj("spec").Str("volumeName");
        return plan with
        {
            Warnings = [$"{declared.Resource} will be deleted and created again ({string.Join(", ", immutable.Select(i => i.Describe()))})" +
                (volume is null ? "" : $"; volume {volume} is released and, with reclaim policy Retain, not bound again by itself")],
        };
    }

    private static async Task<DeclaredObject> DeclareAsync(PvcParams parameters, KubeCluster cluster, CancellationToken cancellationToken)
    {
        var metadata = new JsonObject { ["name"] = parameters.Name };
        if (parameters.Namespace is not null)
        {
            metadata["namespace"] = parameters.Namespace;
        }

        if (parameters.Labels is { Count: > 0 } labels)
        {
            metadata["labels"] = JsonPlain.ToNode(labels.ToDictionary(l => l.Key, l => (object?)l.Value));
        }

        var spec = new JsonObject();
        if (parameters.State == ObjectState.Present)
        {
            spec["accessModes"] = JsonPlain.ToNode(parameters.AccessModes);
            spec["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = parameters.Request } };
            if (parameters.StorageClass is not null)
            {
                spec["storageClassName"] = parameters.StorageClass;
            }

            if (parameters.VolumeName is not null)
            {
                spec["volumeName"] = parameters.VolumeName;
            }

            if (parameters.Selector is { Count: > 0 } selector)
            {
                spec["selector"] = new JsonObject { ["matchLabels"] = JsonPlain.ToNode(selector.ToDictionary(l => l.Key, l => (object?)l.Value)) };
            }
        }

        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = metadata, ["spec"] = spec };
        return await DeclaredObject.ResolveAsync(cluster, body, parameters.Namespace, cancellationToken).ConfigureAwait(false);
    }

    private static ImmutableDictionary<string, object?> Result(JsonObject? claim) =>
        ClusterTask.Result(
            ("volume_name", claim.Obj("spec").Str("volumeName") is { Length: > 0 } v ? v : null),
            ("phase", claim.Obj("status").Str("phase")),
            ("capacity", claim.Obj("status").Obj("capacity").Str("storage")),
            ("result", JsonPlain.ToPlain(claim)));
}
