using System.Collections.Immutable;
using System.Text.Json.Nodes;
using StateForge.Planning;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

[Module("k8s", "kubernetes.core.k8s", Description = "Creates, updates or deletes Kubernetes objects through the API (server-side apply by default); diffs show only what you declared.")]
public sealed class K8sModule : Module<K8sParams>
{
    public override bool RunsOnController => true;

    public override string Examples => """
        - name: The registry's service, inline
          k8s:
            definition:
              apiVersion: v1
              kind: Service
              metadata:
                name: docker-registry
                namespace: default
              spec:
                selector:
                  docker-registry: default
                ports:
                - name: 5000-tcp
                  port: 5000
                  targetPort: 5000

        - name: Everything in a manifest file (multi-document)
          k8s:
            src: registry-objects.yml
            namespace: default
            kubeconfig: /etc/origin/master/admin.kubeconfig
            context: default/master:8443/system:admin

        - name: From a template, waiting until it is rolled out
          k8s:
            template: router-dc.yml.j2
            wait: true
            wait_timeout: 300

        - name: Wait for a condition of your own choosing
          k8s:
            src: app-deployment.yml
            wait_condition:
              type: Available
              status: "True"

        - name: Delete by kind and name
          k8s:
            state: absent
            api_version: v1
            kind: Service
            name: old-registry
            namespace: default
        """;

    protected override IEnumerable<string> Validate(K8sParams parameters)
    {
        var sources = new[] { parameters.Definition is not null, parameters.Src is not null, parameters.Template is not null }.Count(x => x);
        if (sources == 0 && (parameters.Kind is null || parameters.Name is null))
        {
            yield return "one of definition, src or template is required (or kind and name)";
        }

        if (parameters.WaitTimeout <= 0)
        {
            yield return "wait_timeout must be positive";
        }
    }

    protected override ValueTask<TaskPlan> PlanAsync(K8sParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ClusterTask.GuardAsync(async () =>
        {
            var cluster = ClusterTask.Connect(parameters, context);
            var changes = new List<ObjectChange>();
            foreach (var declared in await DeclareAsync(parameters, context, cluster, cancellationToken).ConfigureAwait(false))
            {
                changes.Add(parameters.State == K8sState.Absent
                    ? await ObjectSync.PlanAbsentAsync(cluster, declared, context.CheckMode, cancellationToken).ConfigureAwait(false)
                    : await ObjectSync.PlanPresentAsync(cluster, declared, Mode(parameters), parameters.Force, context.CheckMode, cancellationToken).ConfigureAwait(false));
            }

            return new TaskPlan
            {
                Changes = [.. changes.Select(c => c.ToResourceChange())],
                Result = Results(changes.Select(c => (c, c.Live, Method(c.Action, planned: true)))),
            };
        });

    protected override ValueTask<TaskPlan> ApplyAsync(K8sParams parameters, TaskPlan plan, PlanContext context, CancellationToken cancellationToken) =>
        ClusterTask.GuardAsync(async () =>
        {
            var cluster = ClusterTask.Connect(parameters, context);
            var actions = plan.Changes.ToDictionary(c => c.Resource, c => c.Action, StringComparer.Ordinal);
            var outcomes = new List<(ObjectChange Change, JsonObject? Object, string Method)>();
            var timeout = TimeSpan.FromSeconds(parameters.WaitTimeout);
            foreach (var declared in await DeclareAsync(parameters, context, cluster, cancellationToken).ConfigureAwait(false))
            {
                var action = actions.GetValueOrDefault(declared.Resource, ChangeAction.None);
                var change = new ObjectChange(declared, action, null, null, null, null);
                JsonObject? written = action switch
                {
                    ChangeAction.Create or ChangeAction.Modify =>
                        await ObjectSync.WriteAsync(cluster, declared, Mode(parameters), parameters.Force, dryRun: false, cancellationToken).ConfigureAwait(false),
                    ChangeAction.Delete => await cluster.DeleteAsync(declared.Type, declared.Namespace, declared.Name, dryRun: false, cancellationToken).ConfigureAwait(false),
                    _ => await cluster.GetAsync(declared.Type, declared.Namespace, declared.Name, cancellationToken).ConfigureAwait(false),
                };
                if (parameters.Wait || parameters.WaitCondition is not null)
                {
                    written = await WaitAsync(parameters, cluster, declared, timeout, cancellationToken).ConfigureAwait(false);
                }

                outcomes.Add((change, parameters.State == K8sState.Absent ? null : written, Method(action, planned: false)));
            }

            return plan with { Result = Results(outcomes) };
        }, plan);

    private static async Task<JsonObject?> WaitAsync(K8sParams parameters, KubeCluster cluster, DeclaredObject declared, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var absent = parameters.State == K8sState.Absent;
        var (last, done) = await cluster.WaitAsync(declared.Type, declared.Namespace, declared.Name,
            o => absent ? ValueTask.FromResult(o is null) : Readiness.IsReadyAsync(cluster, declared.Type, o, parameters.WaitCondition, cancellationToken),
            timeout, cancellationToken).ConfigureAwait(false);
        if (!done)
        {
            var what = absent ? "to be deleted"
                : parameters.WaitCondition is { } c ? $"for condition {c.Type}={c.Status ?? "True"}"
                : "to be ready";
            throw new ClusterTaskException($"{declared.Resource}: timed out after {timeout.TotalSeconds:0}s waiting {what}: {Readiness.Describe(last)}");
        }

        return last;
    }

    private static async Task<IReadOnlyList<DeclaredObject>> DeclareAsync(K8sParams parameters, PlanContext context, KubeCluster cluster, CancellationToken cancellationToken)
    {
        IReadOnlyList<JsonObject> bodies;
        if (parameters.Src is { } src)
        {
            var path = context.ResolveFile(src, "files") ?? throw new ClusterTaskException($"Could not find or access '{src}' on the controller");
            bodies = ManifestReader.Read(await Parsing.BoundedFile.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), path);
        }
        else if (parameters.Template is { } template)
        {
            var path = context.ResolveFile(template, "templates") ?? throw new ClusterTaskException($"Could not find or access template '{template}' on the controller");
            var text = await Parsing.BoundedFile.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            bodies = ManifestReader.Read(context.Templates.RenderFile(text, path, context.Variables), path);
        }
        else if (parameters.Definition is not null)
        {
            bodies = ManifestReader.FromDefinition(parameters.Definition, "definition");
        }
        else
        {
            bodies = [new JsonObject
            {
                ["apiVersion"] = parameters.ApiVersion,
                ["kind"] = parameters.Kind,
                ["metadata"] = new JsonObject { ["name"] = parameters.Name },
            }];
        }

        if (bodies.Count == 0)
        {
            throw new ClusterTaskException("the definition holds no objects");
        }

        var declared = new List<DeclaredObject>();
        foreach (var body in bodies)
        {
            declared.Add(await DeclaredObject.ResolveAsync(cluster, body.CloneObject(), parameters.Namespace, cancellationToken).ConfigureAwait(false));
        }

        return declared;
    }

    private static WriteMode Mode(K8sParams parameters) =>
        parameters.Apply ? WriteMode.Apply
        : parameters.Force ? WriteMode.Replace
        : parameters.MergeType == "merge" ? WriteMode.Merge
        : WriteMode.StrategicMerge;

    private static string Method(ChangeAction action, bool planned) => action switch
    {
        ChangeAction.Create => planned ? "would create" : "create",
        ChangeAction.Modify => planned ? "would update" : "update",
        ChangeAction.Delete => planned ? "would delete" : "delete",
        _ => "none",
    };

    private static ImmutableDictionary<string, object?> Results(IEnumerable<(ObjectChange Change, JsonObject? Object, string Method)> outcomes)
    {
        var list = outcomes.Select(o => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["kind"] = o.Change.Object.Type.Kind,
            ["api_version"] = o.Change.Object.Type.ApiVersion,
            ["name"] = o.Change.Object.Name,
            ["namespace"] = o.Change.Object.Namespace,
            ["method"] = o.Method,
            ["changed"] = o.Change.Action != ChangeAction.None,
            ["result"] = JsonPlain.ToPlain(o.Object),
        }).ToList();
        return ClusterTask.Result(
            ("result", list.Count == 1 ? list[0]["result"] : new Dictionary<string, object?> { ["results"] = list.Select(l => l["result"]).ToList() }),
            ("method", list.Count == 1 ? list[0]["method"] : null),
            ("results", list));
    }
}
