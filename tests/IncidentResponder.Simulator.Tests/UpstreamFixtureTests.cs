using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Tests.Support;

namespace IncidentResponder.Simulator.Tests;

/// <summary>
/// The upstream round-trip test data of Kubernetes (every field filled with a placeholder) sent to the simulator over
/// HTTP and read back: what a real kube-apiserver accepts must be accepted, and come back with the same content apart
/// from the fields the server owns and its documented defaulting. The fixtures are read in place (never copied).
/// </summary>
/// <remarks>
/// A difference from kube-apiserver that the tests accept on purpose: the simulator validates object names, CRDs and
/// custom resources, but not the spec fields of built-in kinds. A real server rejects the Pod, Deployment and ReplicaSet
/// fixtures with 422 because of their placeholders (container name "nameValue" is not a DNS-1123 label, restartPolicy
/// "restartPolicyValue", resource names like "limitsKey", a selector that does not match the template labels, ...).
/// Re-implementing kube's built-in validation is out of the simulator's scope, so for those three the tests check what
/// the data was made for: that every field survives storage and serialization unchanged.
/// In the same way the simulator does not enforce events.k8s.io/v1's strict event validation; the events test adjusts
/// the fixture to what a real server accepts rather than relying on that.
/// </remarks>
public sealed class UpstreamFixtureTests
{
    private const string Namespace = "default";

    [Fact]
    public async Task Config_map_round_trips()
    {
        var fixture = UpstreamFixtures.Load("core.v1.ConfigMap.json");
        await AssertRoundTripAsync(fixture, CreateRequest(fixture), "api/v1/namespaces/default/configmaps");
    }

    [Fact]
    public async Task Lease_round_trips()
    {
        var fixture = UpstreamFixtures.Load("coordination.k8s.io.v1.Lease.json");
        await AssertRoundTripAsync(fixture, CreateRequest(fixture, ValidName), "apis/coordination.k8s.io/v1/namespaces/default/leases");
    }

    [Fact]
    public async Task Pod_round_trips_with_its_status_reset_on_create()
    {
        var fixture = UpstreamFixtures.Load("core.v1.Pod.json");
        var request = CreateRequest(fixture, ValidName);
        await using var harness = await ClusterHarness.StartAsync();
        using var api = new RawApiClient(harness.Cluster);

        var created = (await api.PostAsync("api/v1/namespaces/default/pods", request)).ShouldBe(HttpStatusCode.Created).Body;
        var read = (await api.GetAsync($"api/v1/namespaces/default/pods/{ValidName}")).ShouldBe(HttpStatusCode.OK).Body;

        // A client cannot set a pod's status on create: PodStrategy.PrepareForCreate replaces it with phase Pending
        // and the QoS class computed from the containers' resources.
        var status = read["status"]!.AsObject();
        Assert.Equal("Pending", (string?)status["phase"]);
        Assert.Contains((string?)status["qosClass"], new[] { "BestEffort", "Burstable", "Guaranteed" });
        Assert.Equal(2, status.Count);

        var expected = ExpectedAfterCreate(request);
        expected["status"] = status.DeepClone();
        JsonTreeDiff.AssertSame(expected, WithoutServerSetFields(read, fixture), "Pod read back");
        JsonTreeDiff.AssertSame(expected, WithoutServerSetFields(created, fixture), "Pod create response");
    }

    [Fact]
    public async Task Deployment_round_trips_with_an_empty_status()
    {
        var fixture = UpstreamFixtures.Load("apps.v1.Deployment.json");
        await AssertRoundTripAsync(fixture, CreateRequest(fixture, ValidName), "apis/apps/v1/namespaces/default/deployments", ResetStatus);
    }

    [Fact]
    public async Task Replica_set_round_trips_with_an_empty_status()
    {
        var fixture = UpstreamFixtures.Load("apps.v1.ReplicaSet.json");
        await AssertRoundTripAsync(fixture, CreateRequest(fixture, ValidName), "apis/apps/v1/namespaces/default/replicasets", ResetStatus);
    }

    [Fact]
    public async Task Core_event_round_trips_and_reads_the_same_through_events_v1()
    {
        var fixture = UpstreamFixtures.Load("core.v1.Event.json");
        var request = CreateRequest(fixture);
        await using var harness = await ClusterHarness.StartAsync();
        using var api = new RawApiClient(harness.Cluster);

        (await api.PostAsync("api/v1/namespaces/default/events", request)).ShouldBe(HttpStatusCode.Created);
        var name = (string)request["metadata"]!["name"]!;
        var core = (await api.GetAsync($"api/v1/namespaces/default/events/{name}")).ShouldBe(HttpStatusCode.OK).Body;
        var expected = ExpectedAfterCreate(request);
        JsonTreeDiff.AssertSame(expected, WithoutServerSetFields(core, fixture), "core/v1 Event read back");

        // The same stored object through events.k8s.io/v1: only the field names the two versions disagree on change.
        var eventsV1 = (await api.GetAsync($"apis/events.k8s.io/v1/namespaces/default/events/{name}")).ShouldBe(HttpStatusCode.OK).Body;
        JsonTreeDiff.AssertSame(CoreToEventsV1(expected), WithoutServerSetFields(eventsV1, fixture), "core/v1 Event read through events.k8s.io/v1");
        Assert.Equal((string?)core["metadata"]!["resourceVersion"], (string?)eventsV1["metadata"]!["resourceVersion"]);
        Assert.Equal((string?)core["metadata"]!["uid"], (string?)eventsV1["metadata"]!["uid"]);
    }

    [Fact]
    public async Task Events_v1_event_round_trips_and_reads_the_same_through_core_v1()
    {
        var fixture = UpstreamFixtures.Load("events.k8s.io.v1.Event.json");
        var request = CreateRequest(fixture);

        // events.k8s.io/v1 validates new events strictly (ValidateEventCreate, unlike core/v1's legacy checks): type must
        // be Normal or Warning, a series needs count >= 2, and the deprecated* fields must be unset. The fixture's
        // random placeholders break all three, so they are replaced the way a real client would fill them.
        request["type"] = "Normal";
        request["series"]!["count"] = 2;
        foreach (var deprecated in new[] { "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "deprecatedCount" })
        {
            request.Remove(deprecated);
        }

        await using var harness = await ClusterHarness.StartAsync();
        using var api = new RawApiClient(harness.Cluster);
        (await api.PostAsync("apis/events.k8s.io/v1/namespaces/default/events", request)).ShouldBe(HttpStatusCode.Created);
        var name = (string)request["metadata"]!["name"]!;
        var eventsV1 = (await api.GetAsync($"apis/events.k8s.io/v1/namespaces/default/events/{name}")).ShouldBe(HttpStatusCode.OK).Body;

        // Go serializes the zero values of the struct fields the request left out: deprecatedSource is {} and the
        // two deprecated timestamps are null (metav1.Time marshals its zero value as null; omitempty skips no struct).
        var expected = ExpectedAfterCreate(request);
        expected["deprecatedSource"] = new JsonObject();
        expected["deprecatedFirstTimestamp"] = null;
        expected["deprecatedLastTimestamp"] = null;
        JsonTreeDiff.AssertSame(expected, WithoutServerSetFields(eventsV1, fixture), "events.k8s.io/v1 Event read back");

        var core = (await api.GetAsync($"api/v1/namespaces/default/events/{name}")).ShouldBe(HttpStatusCode.OK).Body;
        JsonTreeDiff.AssertSame(EventsV1ToCore(expected), WithoutServerSetFields(core, fixture), "events.k8s.io/v1 Event read through core/v1");
    }

    [Fact]
    public async Task Scale_fixture_scales_a_deployment_through_its_scale_subresource()
    {
        var fixture = UpstreamFixtures.Load("autoscaling.v1.Scale.json");
        await using var harness = await ClusterHarness.StartAsync();
        using var api = new RawApiClient(harness.Cluster);
        // The target is a plain valid Deployment: the Deployment fixture's selector operator "operatorValue" would make
        // a real server's scaleFromDeployment fail to build status.selector (500), which is not what this test is about.
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"namevalue"},
             "spec":{"selector":{"matchLabels":{"app":"scale-target"}},
                     "template":{"metadata":{"labels":{"app":"scale-target"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}}}
            """)!;
        (await api.PostAsync("apis/apps/v1/namespaces/default/deployments", deployment)).ShouldBe(HttpStatusCode.Created);
        var path = $"apis/apps/v1/namespaces/default/deployments/{ValidName}/scale";

        // Scale is a subresource: the URL names the object, so the body must carry the same name and namespace (the
        // update handler answers 400 otherwise), and no resourceVersion (the fixture's would be a failing
        // precondition: 409). Negative replicas are refused with 422 exactly as ValidateScale does.
        var scale = fixture.DeepClone().AsObject();
        scale["metadata"]!["name"] = ValidName;
        scale["metadata"]!["namespace"] = Namespace;
        scale["metadata"]!.AsObject().Remove("resourceVersion");
        var negative = await api.PutAsync(path, scale);
        negative.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("spec.replicas", (string?)negative.Body["details"]!["causes"]![0]!["field"]);

        scale["spec"]!["replicas"] = 3;
        var updated = (await api.PutAsync(path, scale)).ShouldBe(HttpStatusCode.OK).Body;
        var read = (await api.GetAsync(path)).ShouldBe(HttpStatusCode.OK).Body;
        var stored = (await api.GetAsync($"apis/apps/v1/namespaces/default/deployments/{ValidName}")).ShouldBe(HttpStatusCode.OK).Body;

        // The Scale is a view computed from the deployment (scaleFromDeployment): only spec.replicas is written; its
        // metadata is the deployment's name, namespace, uid, resourceVersion and creationTimestamp (the fixture's labels,
        // annotations, owners and finalizers go nowhere), and status is the deployment's replicas and label selector.
        var expected = new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = ValidName,
                ["namespace"] = Namespace,
                ["uid"] = stored["metadata"]!["uid"]!.DeepClone(),
                ["resourceVersion"] = stored["metadata"]!["resourceVersion"]!.DeepClone(),
                ["creationTimestamp"] = stored["metadata"]!["creationTimestamp"]!.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = 3 },
            ["status"] = new JsonObject { ["replicas"] = 0, ["selector"] = "app=scale-target" },
        };
        JsonTreeDiff.AssertSame(expected, read, "Scale read back");
        JsonTreeDiff.AssertSame(expected, updated, "Scale update response");
        Assert.Equal(3, (int)stored["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task Custom_resource_definition_fixture_is_rejected_as_a_real_server_rejects_it()
    {
        var fixture = UpstreamFixtures.Load("apiextensions.k8s.io.v1.CustomResourceDefinition.json");
        await using var harness = await ClusterHarness.StartAsync();
        using var api = new RawApiClient(harness.Cluster);

        // No small adjustment makes this CRD valid: kube-apiserver refuses the name ("nameValue" is not
        // "<plural>.<group>"), the scope, the non-structural schema keywords ($ref, definitions, dependencies, ...)
        // and the conversion strategy, with 422 Invalid. Only the resourceVersion is dropped, so the answer is the
        // validation's and not the storage layer's "resourceVersion should not be set on objects to be created".
        var request = fixture.DeepClone().AsObject();
        request["metadata"]!.AsObject().Remove("resourceVersion");
        var response = await api.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", request);

        response.ShouldBe(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Invalid", (string?)response.Body["reason"]);
        var fields = response.Body["details"]!["causes"]!.AsArray().Select(c => (string?)c!["field"]).ToList();
        Assert.Contains("metadata.name", fields);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions/nameValue")).Status);
    }

    [Fact]
    public async Task Cluster_name_is_refused_under_strict_field_validation()
    {
        var request = CreateRequest(UpstreamFixtures.Load("core.v1.ConfigMap.json"));
        await using var harness = await ClusterHarness.StartAsync();
        using var api = new RawApiClient(harness.Cluster);

        // kubectl sends fieldValidation=Strict: the field ObjectMeta no longer has is then a decoding error (400).
        var response = await api.PostAsync("api/v1/namespaces/default/configmaps?fieldValidation=Strict", request);

        response.ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal(
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"metadata.clusterName\"",
            (string?)response.Body["message"]);
    }

    private const string ValidName = "namevalue";

    /// <summary>
    /// The fixture as a create request a real kube-apiserver takes. Each adjustment mirrors a server rule:
    /// the namespace must exist (the fixtures name "4" or "namespaceValue": 404 NotFound), a create must not carry a
    /// resourceVersion (the storage layer refuses it), and the name must be a DNS-1123 subdomain ("nameValue" has a
    /// capital: ValidateObjectMeta answers 422). Everything else, including fields the server owns or drops, is sent
    /// as is so the test sees what the server does with it.
    /// </summary>
    private static JsonObject CreateRequest(JsonObject fixture, string? name = null)
    {
        var request = fixture.DeepClone().AsObject();
        var metadata = request["metadata"]!.AsObject();
        metadata["namespace"] = Namespace;
        metadata.Remove("resourceVersion");
        if (name is not null)
        {
            metadata["name"] = name;
        }

        return request;
    }

    /// <summary>
    /// What a real server stores from <paramref name="request"/>, without the fields it sets itself (checked and removed
    /// by <see cref="WithoutServerSetFields"/>). rest.BeforeCreate clears deletionTimestamp and
    /// deletionGracePeriodSeconds; selfLink is never set since 1.20; metadata.clusterName left ObjectMeta in 1.25, so the
    /// decoder drops it as an unknown field.
    /// </summary>
    private static JsonObject ExpectedAfterCreate(JsonObject request)
    {
        var expected = request.DeepClone().AsObject();
        var metadata = expected["metadata"]!.AsObject();
        foreach (var field in new[] { "uid", "creationTimestamp", "generation", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "clusterName" })
        {
            metadata.Remove(field);
        }

        return expected;
    }

    /// <summary>
    /// The object without the metadata the server sets (uid, resourceVersion, creationTimestamp, generation,
    /// managedFields), after checking that the server did set them rather than echo the fixture's values.
    /// </summary>
    private static JsonObject WithoutServerSetFields(JsonObject actual, JsonObject fixture)
    {
        var result = actual.DeepClone().AsObject();
        var metadata = result["metadata"]!.AsObject();
        var uid = (string?)metadata["uid"];
        Assert.False(string.IsNullOrEmpty(uid), "the server must set metadata.uid");
        Assert.NotEqual((string?)fixture["metadata"]!["uid"], uid);
        Assert.True(long.TryParse((string?)metadata["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out _), $"resourceVersion {metadata["resourceVersion"]} is not the server's");
        Assert.True(DateTimeOffset.TryParse((string?)metadata["creationTimestamp"], CultureInfo.InvariantCulture, out var created), "the server must set creationTimestamp");
        Assert.True(created > DateTimeOffset.UtcNow.AddHours(-1), $"creationTimestamp {created} is not the server's clock");
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields" })
        {
            metadata.Remove(field);
        }

        return result;
    }

    /// <summary>Deployment and ReplicaSet strategies reset status on create; Go serializes the empty struct as <c>{}</c>.</summary>
    private static void ResetStatus(JsonObject expected) => expected["status"] = new JsonObject();

    private static async Task AssertRoundTripAsync(JsonObject fixture, JsonObject request, string collection, Action<JsonObject>? serverChanges = null)
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var api = new RawApiClient(harness.Cluster);
        var response = (await api.PostAsync(collection, request)).ShouldBe(HttpStatusCode.Created);
        var created = response.Body;
        var name = (string)request["metadata"]!["name"]!;
        if (request["metadata"]!["clusterName"] is not null)
        {
            // Without fieldValidation the server's default is Warn: the dropped field is named in a Warning header,
            // quoted the way apimachinery's NewWarningHeader quotes (backslash escapes, which kubectl unescapes).
            Assert.Contains("299 - \"unknown field \\\"metadata.clusterName\\\"\"", response.Warnings);
        }

        var read = (await api.GetAsync($"{collection}/{name}")).ShouldBe(HttpStatusCode.OK).Body;

        var expected = ExpectedAfterCreate(request);
        serverChanges?.Invoke(expected);
        var kind = (string?)fixture["kind"];
        JsonTreeDiff.AssertSame(expected, WithoutServerSetFields(read, fixture), $"{kind} read back");
        JsonTreeDiff.AssertSame(expected, WithoutServerSetFields(created, fixture), $"{kind} create response");
        Assert.Equal((string?)created["metadata"]!["resourceVersion"], (string?)read["metadata"]!["resourceVersion"]);
    }

    /// <summary>The field renames between core/v1 and events.k8s.io/v1 Event (pkg/apis/events/v1 conversion).</summary>
    private static readonly (string Core, string EventsV1)[] EventRenames =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("reportingComponent", "reportingController"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
    ];

    private static JsonObject CoreToEventsV1(JsonObject core) => RenameEventFields(core, "events.k8s.io/v1", toEventsV1: true);

    private static JsonObject EventsV1ToCore(JsonObject eventsV1) => RenameEventFields(eventsV1, "v1", toEventsV1: false);

    private static JsonObject RenameEventFields(JsonObject source, string apiVersion, bool toEventsV1)
    {
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            var rename = EventRenames.FirstOrDefault(r => (toEventsV1 ? r.Core : r.EventsV1) == key);
            var target = rename == default ? key : toEventsV1 ? rename.EventsV1 : rename.Core;
            result[target] = key == "apiVersion" ? apiVersion : value?.DeepClone();
        }

        return result;
    }
}
