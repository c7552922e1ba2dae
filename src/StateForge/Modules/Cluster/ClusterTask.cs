using System.Collections.Immutable;
using k8s.Exceptions;
using StateForge.Planning;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

/// <summary>What every cluster module does around its own logic: connect once per run, and turn API errors into failed plans.</summary>
internal static class ClusterTask
{
    public static KubeCluster Connect(KubeConnectionParams parameters, PlanContext context) =>
        context.Services.Get<KubernetesClients>().Get(parameters.Settings(ConnectionVariables(context)));

    /// <summary>
    /// The connection variables, rendered: play vars reach modules as written (`kubeconfig: "{{ lab_dir }}/kubeconfig"`),
    /// and only module arguments are rendered by the engine.
    /// </summary>
    private static Dictionary<string, object?> ConnectionVariables(PlanContext context)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in KubeConnectionSettings.VariableNames)
        {
            if (context.Variables.TryGetValue(name, out var value))
            {
                values[name] = value is string text && context.Templates?.IsTemplated(text) == true
                    ? context.Templates.Render(text, context.Variables)
                    : value;
            }
        }

        return values;
    }

    /// <summary>Runs <paramref name="body"/>; configuration and API errors become a failed plan with a readable message.</summary>
    public static async ValueTask<TaskPlan> GuardAsync(Func<ValueTask<TaskPlan>> body, TaskPlan? partial = null)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (KubeApiException e)
        {
            return Failed(partial, e.Message);
        }
        catch (KubeConfigException e)
        {
            return Failed(partial, $"cannot load the Kubernetes configuration: {e.Message}");
        }
        catch (ClusterTaskException e)
        {
            return Failed(partial, e.Message);
        }
        catch (FormatException e)
        {
            return Failed(partial, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed(partial, $"cannot read a file on the controller: {e.Message}");
        }
    }

    public static ImmutableDictionary<string, object?> Result(params (string Key, object? Value)[] values) =>
        values.ToImmutableDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    private static TaskPlan Failed(TaskPlan? partial, string message) =>
        (partial ?? new TaskPlan()) with { Failed = true, Message = message };
}

/// <summary>A user error found while planning or applying a cluster task; its message is shown as is.</summary>
internal sealed class ClusterTaskException(string message) : Exception(message);
