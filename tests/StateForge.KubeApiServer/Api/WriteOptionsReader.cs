using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using StateForge.KubeApiServer.Json;
using StateForge.KubeApiServer.Resources;

namespace StateForge.KubeApiServer.Api;

/// <summary>Reads dryRun, fieldManager and force from the query string, and preconditions from DeleteOptions.</summary>
internal static class WriteOptionsReader
{
    public static WriteOptions FromQuery(IQueryCollection query)
    {
        var dryRun = query["dryRun"].ToString();
        if (dryRun.Length > 0 && dryRun != "All")
        {
            throw ApiErrors.BadRequest($"Invalid dry run value: {dryRun}: supported values: \"All\"");
        }

        var force = query["force"].ToString() is "true" or "1";
        var orphan = query["propagationPolicy"].ToString() == "Orphan" || query["orphanDependents"].ToString() == "true";
        return new WriteOptions(dryRun == "All", NullIfEmpty(query["fieldManager"].ToString()), force, Orphan: orphan);
    }

    /// <summary>DELETE bodies carry DeleteOptions: dryRun, preconditions and propagationPolicy may be there too.</summary>
    public static WriteOptions WithDeleteOptions(WriteOptions options, JsonObject? body)
    {
        if (body is null)
        {
            return options;
        }

        var dryRun = options.DryRun || body.Arr("dryRun")?.Any(v => v?.ToString() == "All") == true;
        var preconditions = body.Obj("preconditions");
        return options with
        {
            DryRun = dryRun,
            PreconditionResourceVersion = preconditions.Str("resourceVersion"),
            PreconditionUid = preconditions.Str("uid"),
            Orphan = options.Orphan || body.Str("propagationPolicy") == "Orphan" || body.Bool("orphanDependents") == true,
        };
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
