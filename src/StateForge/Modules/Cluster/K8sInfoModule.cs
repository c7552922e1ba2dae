using System.Text.Json.Nodes;
using StateForge.Planning;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

[Module("k8s_info", "kubernetes.core.k8s_info", Description = "Reads Kubernetes objects (one by name, or all of a kind by labels) and registers them as `resources`; changes nothing, and runs in check mode too.")]
public sealed class K8sInfoModule : Module<K8sInfoParams>
{
    public override bool RunsOnController => true;

    public override string Examples => """
        - name: Is the registry there yet?
          k8s_info:
            api_version: apps.openshift.io/v1
            kind: DeploymentConfig
            name: docker-registry
            namespace: default
          register: registry_dc

        - name: Create it only when it is missing
          k8s:
            template: docker-registry-dc.yml.j2
          when: registry_dc.resources | length == 0

        - name: Every claim of the app
          k8s_info:
            kind: PersistentVolumeClaim
            namespace: shop
            label_selectors:
              - app=shop
              - tier!=cache
          register: claims
        """;

    protected override IEnumerable<string> Validate(K8sInfoParams parameters)
    {
        if (string.IsNullOrWhiteSpace(parameters.Kind))
        {
            yield return "kind must not be empty";
        }

        foreach (var selector in parameters.LabelSelectors ?? [])
        {
            if (string.IsNullOrWhiteSpace(selector) || selector.Contains(',', StringComparison.Ordinal))
            {
                yield return $"label_selectors: '{selector}' must be one selector (give each as its own list item)";
            }
        }
    }

    // Reading is harmless: it runs in check mode as well, so what registers from it is real.
    protected override ValueTask<TaskPlan> PlanAsync(K8sInfoParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ClusterTask.GuardAsync(async () =>
        {
            var cluster = ClusterTask.Connect(parameters, context);
            var type = await cluster.ResolveAsync(parameters.ApiVersion, parameters.Kind, cancellationToken).ConfigureAwait(false);
            var ns = type.Namespaced ? parameters.Namespace ?? cluster.DefaultNamespace : null;
            IReadOnlyList<JsonObject> found;
            if (parameters.Name is { } name)
            {
                var one = await cluster.GetAsync(type, ns, name, cancellationToken, fresh: true).ConfigureAwait(false);
                found = one is not null && Matches(one, parameters.LabelSelectors) ? [one] : [];
            }
            else
            {
                var selector = parameters.LabelSelectors is { Count: > 0 } s ? string.Join(',', s) : null;
                found = await cluster.ListAsync(type, ns, selector, cancellationToken).ConfigureAwait(false);
            }

            return new TaskPlan
            {
                Result = ClusterTask.Result(
                    ("resources", found.Select(o => JsonPlain.ToPlain(o)).ToList()),
                    ("api_found", true)),
            };
        });

    protected override ValueTask<TaskPlan> ApplyAsync(K8sInfoParams parameters, TaskPlan plan, PlanContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(plan);

    /// <summary>Equality (`k=v`, `k==v`), inequality (`k!=v`), existence (`k`) and absence (`!k`) against the object's labels.</summary>
    private static bool Matches(JsonObject item, IReadOnlyList<string>? selectors)
    {
        var labels = item.Obj("metadata").Obj("labels");
        foreach (var raw in selectors ?? [])
        {
            var selector = raw.Trim();
            bool holds;
            if (selector.Split("!=", 2) is [var nk, var nv])
            {
                holds = labels.Str(nk.Trim()) != nv.Trim();
            }
            else if (selector.Split('=', 2) is [var k, var v])
            {
                holds = labels.Str(k.Trim()) == v.TrimStart('=').Trim();
            }
            else if (selector.StartsWith('!'))
            {
                holds = labels.Str(selector[1..].Trim()) is null;
            }
            else
            {
                holds = labels.Str(selector) is not null;
            }

            if (!holds)
            {
                return false;
            }
        }

        return true;
    }
}
