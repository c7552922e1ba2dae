using System.Collections.Immutable;
using StateForge.Planning;

namespace StateForge.Modules.Cluster;

[Module("uri", "ansible.builtin.uri", Description = "Sends an HTTP request from the controller and checks its status (health checks, APIs); registers status, content and json like Ansible's uri.")]
public sealed class UriModule : Module<UriParams>
{
    public override bool RunsOnController => true;

    public override string Examples => """
        - name: The registry answers its health check (retried while it starts)
          uri:
            url: "https://docker-registry.default.svc:5000/healthz"
            ca_path: /etc/origin/master/ca.crt
            status_code: [200]
            retries: 30
            delay: 2

        - name: Read an API as JSON
          uri:
            url: https://api.example.com/v1/status
            headers:
              Authorization: "Bearer {{ api_token }}"
            return_content: true
          register: status

        - name: Post a JSON body
          uri:
            url: https://hooks.example.com/deployed
            method: POST
            body:
              app: registry
              version: 2
            body_format: json
            status_code: [200, 201, 204]

        - name: A test endpoint with a self-signed certificate
          uri:
            url: https://127.0.0.1:8443/ping
            validate_certs: false
            timeout: 5
        """;

    protected override IEnumerable<string> Validate(UriParams parameters)
    {
        if (!Uri.TryCreate(parameters.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return $"url '{parameters.Url}' must be an absolute http or https URL";
        }

        if (parameters.Timeout <= 0)
        {
            yield return "timeout must be positive";
        }

        if (parameters.Retries < 0 || parameters.Delay < 0)
        {
            yield return "retries and delay cannot be negative";
        }

        if (parameters.StatusCode.Count == 0)
        {
            yield return "status_code needs at least one code";
        }
    }

    protected override async ValueTask<TaskPlan> PlanAsync(UriParams parameters, PlanContext context, CancellationToken cancellationToken)
    {
        if (IsSafe(parameters))
        {
            // Reading is harmless: it runs in check mode too, so what registers from it is real.
            return await RequestAsync(parameters, cancellationToken).ConfigureAwait(false);
        }

        return new TaskPlan
        {
            NeedsExecution = true,
            Message = context.CheckMode ? $"would send {parameters.Method.ToUpperInvariant()} {parameters.Url}" : null,
            Result = ImmutableDictionary<string, object?>.Empty.Add("url", parameters.Url),
        };
    }

    protected override async ValueTask<TaskPlan> ApplyAsync(UriParams parameters, TaskPlan plan, PlanContext context, CancellationToken cancellationToken) =>
        IsSafe(parameters) ? plan : await RequestAsync(parameters, cancellationToken).ConfigureAwait(false);

    private static bool IsSafe(UriParams parameters) => parameters.Method.ToUpperInvariant() is "GET" or "HEAD" or "OPTIONS";

    private static async Task<TaskPlan> RequestAsync(UriParams parameters, CancellationToken cancellationToken)
    {
        HttpOutcome outcome;
        var attempt = 0;
        try
        {
            while (true)
            {
                attempt++;
                outcome = await HttpProbe.SendAsync(parameters, cancellationToken).ConfigureAwait(false);
                if (parameters.StatusCode.Contains(outcome.Status) || attempt > parameters.Retries)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(parameters.Delay), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ClusterTaskException e)
        {
            return TaskPlan.Fail(e.Message);
        }

        var result = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in outcome.Headers)
        {
            result[name] = value;
        }

        result["status"] = (long)outcome.Status;
        result["url"] = outcome.Url;
        result["msg"] = outcome.Message;
        result["elapsed"] = (long)Math.Round(outcome.Elapsed);
        result["redirected"] = outcome.Redirected;
        if (parameters.Retries > 0)
        {
            result["attempts"] = (long)attempt;
        }

        if (parameters.ReturnContent)
        {
            result["content"] = outcome.Content;
        }

        if (outcome.Json is not null)
        {
            result["json"] = outcome.Json;
        }

        var ok = parameters.StatusCode.Contains(outcome.Status);
        return new TaskPlan
        {
            Result = result.ToImmutable(),
            Failed = !ok,
            Message = ok ? null : $"Status code was {outcome.Status} and not [{string.Join(", ", parameters.StatusCode)}]: {outcome.Message}" +
                (attempt > 1 ? $" (after {attempt} attempts)" : ""),
        };
    }
}
