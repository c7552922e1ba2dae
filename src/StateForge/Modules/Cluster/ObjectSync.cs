using System.Text.Json.Nodes;
using k8s.Models;
using StateForge.Planning;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

/// <summary>How a declared object is written.</summary>
internal enum WriteMode
{
    /// <summary>Server-side apply with field manager `stateforge`.</summary>
    Apply,

    /// <summary>JSON merge patch (RFC 7386).</summary>
    Merge,

    /// <summary>Strategic merge patch (lists merged by their keys).</summary>
    StrategicMerge,

    /// <summary>PUT of the whole object.</summary>
    Replace,
}

/// <summary>What the plan decided for one declared object.</summary>
internal sealed record ObjectChange(DeclaredObject Object, ChangeAction Action, JsonObject? Live, JsonNode? Before, JsonNode? After, string? Diff)
{
    /// <summary>The whole object the server would store (its dry-run answer, or the declaration); null when none or deleted.</summary>
    public JsonObject? Predicted { get; init; }

    public ResourceChange ToResourceChange() =>
        new(Object.Resource, Action, JsonPlain.ToPlain(Before), JsonPlain.ToPlain(After), Diff);
}

/// <summary>
/// Plans and writes declared objects: the live object projected onto the declared paths is the
/// "before"; the server's dry-run answer projected the same way is the "after". Writes are
/// server-side apply by default; PUTs retry on a stale resourceVersion.
/// </summary>
internal static class ObjectSync
{
    /// <summary>
    /// Plans the object as declared. In check mode nothing is written, so the change is recorded
    /// with the cluster for later tasks of the run to plan against (<see cref="KubeCluster.Simulate"/>).
    /// </summary>
    public static async Task<ObjectChange> PlanPresentAsync(KubeCluster cluster, DeclaredObject declared, WriteMode mode, bool force, bool checkMode, CancellationToken cancellationToken) =>
        Simulated(cluster, await PlanPresentAsync(cluster, declared, mode, force, cancellationToken).ConfigureAwait(false), checkMode);

    /// <summary>Plans the object's deletion; in check mode later tasks see it gone.</summary>
    public static async Task<ObjectChange> PlanAbsentAsync(KubeCluster cluster, DeclaredObject declared, bool checkMode, CancellationToken cancellationToken) =>
        Simulated(cluster, await PlanAbsentAsync(cluster, declared, cancellationToken).ConfigureAwait(false), checkMode);

    private static ObjectChange Simulated(KubeCluster cluster, ObjectChange change, bool checkMode)
    {
        if (checkMode && change.Action != ChangeAction.None)
        {
            cluster.Simulate(change.Object.Type, change.Object.Namespace, change.Object.Name, change.Predicted);
        }

        return change;
    }

    private static async Task<ObjectChange> PlanPresentAsync(KubeCluster cluster, DeclaredObject declared, WriteMode mode, bool force, CancellationToken cancellationToken)
    {
        var live = await cluster.GetAsync(declared.Type, declared.Namespace, declared.Name, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            JsonNode? after;
            JsonObject predicted;
            var label = $"{declared.Resource} (dry run)";
            try
            {
                predicted = await WriteAsync(cluster, declared, mode, force, dryRun: true, cancellationToken).ConfigureAwait(false);
                after = DeclaredProjection.Project(predicted, declared.Body);
            }
            catch (KubeApiException e) when (e.MissingNamespace is { } missing && cluster.PlannedNamespaces.ContainsKey(missing))
            {
                // Its namespace comes from an earlier object of this run's plan: the server can only check it once that exists.
                after = declared.Body.DeepClone();
                predicted = declared.Body.CloneObject();
                label = $"{declared.Resource} (declared; namespace {missing} is created first)";
            }

            if (declared.Type.Kind == "Namespace" && declared.Type.Group.Length == 0)
            {
                cluster.PlannedNamespaces[declared.Name] = true;
            }

            return new ObjectChange(declared, ChangeAction.Create, null, null, after,
                TextDiff.Unified("", ObjectYaml.Render(after), "/dev/null", label))
            { Predicted = predicted };
        }

        var before = DeclaredProjection.Project(live, declared.Body);
        if (DeclaredProjection.Equivalent(before, declared.Body))
        {
            return new ObjectChange(declared, ChangeAction.None, live, before, before, null);
        }

        if (cluster.IsSimulated(declared.Type, declared.Namespace, declared.Name))
        {
            // Only an earlier task of this check would create it: no server has it to dry-run against.
            var declaredAfter = declared.Body.DeepClone();
            return new ObjectChange(declared, ChangeAction.Modify, live, before, declaredAfter,
                TextDiff.Unified(ObjectYaml.Render(before), ObjectYaml.Render(declaredAfter), $"{declared.Resource} (planned)", $"{declared.Resource} (declared)"))
            { Predicted = declared.Body.CloneObject() };
        }

        var answer = await WriteAsync(cluster, declared, mode, force, dryRun: true, cancellationToken, live).ConfigureAwait(false);
        var projected = DeclaredProjection.Project(answer, declared.Body);
        var (cleanLive, cleanAnswer) = (ServerNoise.Clean(live), ServerNoise.Clean(answer));
        if (DeclaredProjection.Equivalent(projected, before) && DeclaredProjection.Equivalent(cleanAnswer, cleanLive))
        {
            // The server would store what it has: the declaration only differs in form (e.g. 1024Mi for 1Gi).
            return new ObjectChange(declared, ChangeAction.None, live, before, before, null);
        }

        var diff = TextDiff.Unified(ObjectYaml.Render(before), ObjectYaml.Render(projected), $"{declared.Resource} (live)", $"{declared.Resource} (dry run)");
        if (diff.Length == 0)
        {
            diff = TextDiff.Unified(ObjectYaml.Render(cleanLive), ObjectYaml.Render(cleanAnswer), $"{declared.Resource} (live)", $"{declared.Resource} (dry run)");
        }

        return new ObjectChange(declared, ChangeAction.Modify, live, before, projected, diff) { Predicted = answer };
    }

    private static async Task<ObjectChange> PlanAbsentAsync(KubeCluster cluster, DeclaredObject declared, CancellationToken cancellationToken)
    {
        var live = await cluster.GetAsync(declared.Type, declared.Namespace, declared.Name, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            return new ObjectChange(declared, ChangeAction.None, null, null, null, null);
        }

        await cluster.DeleteAsync(declared.Type, declared.Namespace, declared.Name, dryRun: true, cancellationToken).ConfigureAwait(false);
        var before = ServerNoise.Clean(live);
        return new ObjectChange(declared, ChangeAction.Delete, live, before, null,
            TextDiff.Unified(ObjectYaml.Render(before), "", $"{declared.Resource} (live)", "/dev/null"));
    }

    /// <summary>Writes the declared object (a dry run when asked); the answer is the object as the server stored it.</summary>
    public static async Task<JsonObject> WriteAsync(
        KubeCluster cluster, DeclaredObject declared, WriteMode mode, bool force, bool dryRun, CancellationToken cancellationToken, JsonObject? live = null)
    {
        var (type, ns, name, body) = (declared.Type, declared.Namespace, declared.Name, declared.Body);
        switch (mode)
        {
            case WriteMode.Apply:
                return await cluster.PatchAsync(type, ns, name, body, V1Patch.PatchType.ApplyPatch, dryRun, force, cancellationToken).ConfigureAwait(false);
            case WriteMode.Merge or WriteMode.StrategicMerge:
                live ??= await cluster.GetAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
                if (live is null)
                {
                    return await cluster.CreateAsync(type, ns, body, dryRun, cancellationToken).ConfigureAwait(false);
                }

                var patchType = mode == WriteMode.Merge ? V1Patch.PatchType.MergePatch : V1Patch.PatchType.StrategicMergePatch;
                return await cluster.PatchAsync(type, ns, name, body, patchType, dryRun, force: false, cancellationToken).ConfigureAwait(false);
            default:
                return await cluster.RetryOnConflictAsync(type, ns, name, async attempt =>
                {
                    var current = attempt == 1 && live is not null ? live : await cluster.GetAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
                    if (current is null)
                    {
                        return await cluster.CreateAsync(type, ns, body, dryRun, cancellationToken).ConfigureAwait(false);
                    }

                    var replacement = body.CloneObject();
                    replacement.Ensure("metadata")["resourceVersion"] = current.Obj("metadata").Str("resourceVersion");
                    return await cluster.ReplaceAsync(type, ns, name, replacement, dryRun, cancellationToken).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes and waits until the object is gone (finalizers may hold it a moment).</summary>
    public static async Task DeleteAndWaitAsync(KubeCluster cluster, DeclaredObject declared, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await cluster.DeleteAsync(declared.Type, declared.Namespace, declared.Name, dryRun: false, cancellationToken).ConfigureAwait(false);
        var (last, gone) = await cluster.WaitAsync(declared.Type, declared.Namespace, declared.Name, o => ValueTask.FromResult(o is null), timeout, cancellationToken).ConfigureAwait(false);
        if (!gone)
        {
            var finalizers = string.Join(", ", last.Obj("metadata").Arr("finalizers")?.Select(f => f?.ToString()) ?? []);
            throw new ClusterTaskException($"{declared.Resource} is still there {timeout.TotalSeconds:0}s after it was deleted" +
                (finalizers.Length > 0 ? $" (finalizers: {finalizers})" : ""));
        }
    }
}
