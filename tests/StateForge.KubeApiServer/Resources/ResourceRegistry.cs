using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Api;
using StateForge.KubeApiServer.Json;
using StateForge.KubeApiServer.Storage;

namespace StateForge.KubeApiServer.Resources;

/// <summary>
/// The generic write path every kind shares (create, update, patch, delete), calling the kind's
/// rules for defaults, validation, immutability and side effects. It runs under the store's gate,
/// so each request (and the controllers it triggers) is atomic.
/// </summary>
internal sealed class ResourceRegistry(ObjectStore store, ResourceCatalog catalog)
{
    private static readonly string[] ServerOwnedMetadata =
        ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink"];

    public ObjectStore Store => store;

    public ResourceCatalog Catalog => catalog;

    public JsonObject Get(ResourceType type, string? ns, string name) =>
        store.Get(type, ns, name) ?? throw ApiErrors.NotFound(type, name);

    public JsonObject Create(ResourceType type, string? ns, JsonObject body, WriteOptions options)
    {
        lock (store.Gate)
        {
            var obj = Envelope(type, body);
            var metadata = obj.Metadata();
            CheckNamespace(type, ns, metadata, creating: true);
            if (string.IsNullOrEmpty(metadata.Str("name")) && metadata.Str("generateName") is { Length: > 0 } prefix)
            {
                metadata["name"] = prefix + RandomSuffix();
            }

            var name = metadata.Str("name") ?? "";
            foreach (var field in ServerOwnedMetadata)
            {
                metadata.Remove(field);
            }

            type.Rules.PrepareForCreate(obj);
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Now();
            type.Rules.ApplyDefaults(obj);
            Validate(type, obj, name, MetadataErrors(type, obj).Concat(type.Rules.Validate(obj)));
            type.Rules.Admit(type, obj, null);
            if (store.Get(type, ns, name) is not null)
            {
                throw ApiErrors.AlreadyExists(type, name);
            }

            if (options.DryRun)
            {
                return obj.WithEnvelopeOrder();
            }

            var stored = store.Put(type, obj);
            type.Rules.OnStored(Context(), stored.Clone(), null);
            return stored;
        }
    }

    public JsonObject Update(ResourceType type, string? ns, string name, JsonObject body, WriteOptions options, bool status = false)
    {
        lock (store.Gate)
        {
            var old = Get(type, ns, name);
            var updated = Envelope(type, body);
            var metadata = updated.Metadata();
            if (metadata.Str("name") is { } bodyName && bodyName != name)
            {
                throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            metadata["name"] = name;
            CheckNamespace(type, ns, metadata, creating: false);
            var sentVersion = metadata.Str("resourceVersion");
            var currentVersion = old.Obj("metadata").Str("resourceVersion");
            if (!string.IsNullOrEmpty(sentVersion) && sentVersion != currentVersion)
            {
                throw ApiErrors.Conflict(type, name);
            }

            foreach (var field in ServerOwnedMetadata)
            {
                CopyMetadata(old, updated, field);
            }

            if (status)
            {
                type.Rules.PrepareForStatusUpdate(updated, old);
            }
            else
            {
                type.Rules.PrepareForUpdate(updated, old);
            }

            type.Rules.ApplyDefaults(updated);
            Validate(type, updated, name,
                MetadataErrors(type, updated).Concat(type.Rules.Validate(updated)).Concat(type.Rules.ValidateUpdate(updated, old)));
            type.Rules.Admit(type, updated, old);
            return Commit(type, updated, old, options);
        }
    }

    /// <summary>Patches read the live object, change it, then go through the update path; apply may create.</summary>
    public (JsonObject Object, bool Created) Patch(
        ResourceType type, string? ns, string name, Func<JsonObject?, JsonObject> patch, WriteOptions options, bool status = false)
    {
        lock (store.Gate)
        {
            var live = store.Get(type, ns, name);
            var patched = patch(live?.Clone());
            if (live is null)
            {
                return (Create(type, ns, patched, options), true);
            }

            return (Update(type, ns, name, patched, options, status), false);
        }
    }

    /// <summary>Deletes now, or marks for deletion when finalizers wait. Returns the body to answer with.</summary>
    public JsonObject Delete(ResourceType type, string? ns, string name, WriteOptions options)
    {
        lock (store.Gate)
        {
            var old = Get(type, ns, name);
            var metadata = old.Obj("metadata");
            if (options.PreconditionUid is { } uid && uid != metadata.Str("uid") ||
                options.PreconditionResourceVersion is { } rv && rv != metadata.Str("resourceVersion"))
            {
                throw ApiErrors.Conflict(type, name);
            }

            type.Rules.BeforeDelete(type, old);
            var deferred = type.Rules.DeferDeletion(old.Clone(), Now());
            if (options.DryRun)
            {
                return deferred ?? (type.Rules.ReturnsDeletedObject ? old : Success(type, old));
            }

            if (deferred is not null)
            {
                return deferred.SameAs(old) ? old : store.Put(type, deferred);
            }

            var removed = store.Remove(type, ns, name);
            AfterRemoval(type, removed, options.Orphan);
            return type.Rules.ReturnsDeletedObject ? removed : Success(type, removed);
        }
    }

    /// <summary>Final removal of an object whose finalizers are done; controllers call it.</summary>
    public void Purge(ResourceType type, JsonObject obj)
    {
        lock (store.Gate)
        {
            if (store.Get(type, obj.Namespace(), obj.Name() ?? "") is null)
            {
                return;
            }

            var removed = store.Remove(type, obj.Namespace(), obj.Name()!);
            AfterRemoval(type, removed, orphan: false);
        }
    }

    public WriteContext Context() => new(this, store, catalog, Now());

    public string Now() => store.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private JsonObject Commit(ResourceType type, JsonObject updated, JsonObject old, WriteOptions options)
    {
        updated.Metadata()["resourceVersion"] = old.Obj("metadata").Str("resourceVersion");
        var result = updated.WithEnvelopeOrder();
        if (result.SameAs(old))
        {
            return old;
        }

        if (options.DryRun)
        {
            return result;
        }

        var finishedDeleting = result.Obj("metadata").Str("deletionTimestamp") is not null &&
            result.Obj("metadata").Arr("finalizers") is not { Count: > 0 };
        var stored = store.Put(type, result);
        if (finishedDeleting)
        {
            Purge(type, stored);
            return stored;
        }

        type.Rules.OnStored(Context(), stored.Clone(), old);
        return stored;
    }

    private void AfterRemoval(ResourceType type, JsonObject removed, bool orphan)
    {
        type.Rules.OnDeleted(Context(), removed);
        var uid = removed.Obj("metadata").Str("uid");
        if (orphan || uid is null)
        {
            return;
        }

        // Background garbage collection: dependents go with their owner.
        foreach (var (dependentType, dependent) in store.All(catalog.All))
        {
            var owners = dependent.Obj("metadata").Arr("ownerReferences")?.OfType<JsonObject>() ?? [];
            if (owners.Any(o => o.Str("uid") == uid))
            {
                Delete(dependentType, dependent.Namespace(), dependent.Name()!, WriteOptions.Internal);
            }
        }
    }

    private void CheckNamespace(ResourceType type, string? ns, JsonObject metadata, bool creating)
    {
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        if (metadata.Str("namespace") is { Length: > 0 } bodyNs && bodyNs != ns)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = ns;
        if (!creating)
        {
            return;
        }

        var nsObject = store.Get(catalog.Namespaces, null, ns ?? "") ?? throw ApiErrors.NamespaceNotFound(ns ?? "");
        if (nsObject.Phase() == "Terminating")
        {
            throw new ApiException(403, "Forbidden",
                $"{type.QualifiedPlural} \"{metadata.Str("name")}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                new JsonObject { ["name"] = metadata.Str("name"), ["kind"] = type.Plural });
        }
    }

    private static JsonObject Envelope(ResourceType type, JsonObject body)
    {
        var obj = body.Clone();
        if (obj.Str("kind") is { Length: > 0 } kind && kind != type.Kind)
        {
            throw ApiErrors.BadRequest($"the object provided is unrecognized (must be of type {type.Kind}): kind {kind}");
        }

        if (obj.Str("apiVersion") is { Length: > 0 } apiVersion && apiVersion != type.ApiVersion)
        {
            throw ApiErrors.BadRequest(
                $"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        obj["kind"] = type.Kind;
        obj["apiVersion"] = type.ApiVersion;
        obj.Metadata();
        return obj;
    }

    private static IEnumerable<FieldError> MetadataErrors(ResourceType type, JsonObject obj)
    {
        var metadata = obj.Obj("metadata");
        var name = metadata.Str("name");
        if (string.IsNullOrEmpty(name))
        {
            yield return FieldError.Required("metadata.name", "name or generateName is required");
        }
        else if (NameFormats.Check(type.Rules.NameFormat, name) is { } error)
        {
            yield return error;
        }

        foreach (var map in new[] { "labels", "annotations" })
        {
            foreach (var (key, value) in metadata.Obj(map) ?? [])
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out _))
                {
                    yield return FieldError.Invalid($"metadata.{map}.{key}", value?.ToCompactJson() ?? "null", "must be a string");
                }
            }
        }
    }

    private static void Validate(ResourceType type, JsonObject obj, string name, IEnumerable<FieldError> errors)
    {
        var list = errors.ToList();
        if (list.Count > 0)
        {
            throw ApiErrors.Invalid(type, name, list);
        }
    }

    private static void CopyMetadata(JsonObject from, JsonObject to, string field)
    {
        if (from.Obj("metadata")?[field] is { } value)
        {
            to.Metadata()[field] = value.DeepClone();
        }
        else
        {
            to.Metadata().Remove(field);
        }
    }

    private static JsonObject Success(ResourceType type, JsonObject obj) =>
        StatusBodies.Success(obj.Name() ?? "", type.Group, type.Plural, obj.Obj("metadata").Str("uid"));

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Concat(Enumerable.Range(0, 5).Select(_ => alphabet[Random.Shared.Next(alphabet.Length)]));
    }
}
