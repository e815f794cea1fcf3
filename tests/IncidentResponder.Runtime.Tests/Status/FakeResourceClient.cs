using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Runtime.Status;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Runtime.Tests.Status;

/// <summary>An in-memory object with resourceVersion preconditions on merge patches, like the API server.</summary>
internal sealed class FakeResourceClient<T>(T initial) : IResourceClient<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public T Stored { get; set; } = initial;

    public List<string> Patches { get; } = [];

    public int StatusConflictsToInject { get; set; }


    /// <summary>How many of the next object patches answer 409 as if another writer got there first (it moves the version).</summary>
    public int PatchConflictsToInject { get; set; }

    /// <summary>When set, reads answer "not found" (the object was deleted).</summary>
    public bool Deleted { get; set; }

    public Task<T?> GetAsync(string? ns, string name, CancellationToken cancellationToken) => Task.FromResult(Deleted ? null : Copy(Stored));

    public Task<T> PatchAsync(string? ns, string name, string mergePatchJson, CancellationToken cancellationToken)
    {
        if (PatchConflictsToInject > 0)
        {
            PatchConflictsToInject--;
            ChangeElsewhere(_ => { });
            throw Conflict();
        }

        return Apply(mergePatchJson);
    }

    public Task<T> PatchStatusAsync(string? ns, string name, string mergePatchJson, CancellationToken cancellationToken)
    {
        if (StatusConflictsToInject > 0)
        {
            StatusConflictsToInject--;
            Stored.Metadata.ResourceVersion = (long.Parse(Stored.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw Conflict();
        }

        return Apply(mergePatchJson);
    }

    /// <summary>Bumps the stored object as another writer would.</summary>
    public void ChangeElsewhere(Action<T> change)
    {
        change(Stored);
        Stored.Metadata.ResourceVersion = (long.Parse(Stored.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<T> Apply(string mergePatchJson)
    {
        Patches.Add(mergePatchJson);
        var patch = JsonNode.Parse(mergePatchJson)!.AsObject();
        var rv = patch["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (rv is not null && rv != Stored.Metadata.ResourceVersion)
        {
            throw Conflict();
        }

        var current = JsonNode.Parse(KubernetesJson.Serialize(Stored))!;
        Merge(current.AsObject(), patch);
        Stored = KubernetesJson.Deserialize<T>(current.ToJsonString());
        Stored.Metadata.ResourceVersion = (long.Parse(rv ?? Stored.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Task.FromResult(Copy(Stored));
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject nested && target[key] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private static HttpOperationException Conflict() => new("Conflict")
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Conflict), "conflict"),
    };

    private static T Copy(T map) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(map));
}
