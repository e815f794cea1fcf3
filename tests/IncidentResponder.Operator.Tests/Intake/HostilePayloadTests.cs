using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Core.Alerts;
using static IncidentResponder.Testing.AlertPayloads;

namespace IncidentResponder.Operator.Tests.Intake;

/// <summary>One cluster for the whole table: a Deployment and the incident a valid notification opened for it.</summary>
public sealed class HostilePayloadCluster : IAsyncLifetime
{
    public const string GroupKey = "{}:{alertname=\"HighErrorRate\"}";

    internal IntakeHarness Intake { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Intake = await IntakeHarness.StartAsync();
        await Intake.Cluster.CreateDeploymentAsync("web");
        var (code, body) = await Intake.PostAsync(Group(GroupKey, Alert("f1")));
        Assert.True(code == HttpStatusCode.OK, body.ToJsonString());
    }

    public async ValueTask DisposeAsync() => await Intake.DisposeAsync();
}

/// <summary>
/// Malformed and hostile requests: each gets the status code that tells Alertmanager (or an attacker) what is wrong,
/// and none of them changes any Incident: the audit log shows no Incident write, and the one incident is as it was.
/// </summary>
public sealed class HostilePayloadTests(HostilePayloadCluster world) : IClassFixture<HostilePayloadCluster>
{
    private const string Bearer = "Bearer " + IntakeHarness.Token;

    /// <summary>A hostile request: the body, its headers, and the answer it must get.</summary>
    public sealed record Case(string Body, string? Authorization, string ContentType, HttpStatusCode Expected, string Message, string? Unmapped = null)
    {
        public override string ToString() => $"{(int)Expected} {Message}";
    }

    private static string Valid(params JsonObject[] alerts) => Group(HostilePayloadCluster.GroupKey, alerts.Length == 0 ? [Alert("f1")] : alerts).ToJsonString();

    private static string With(Action<JsonObject> change)
    {
        var payload = Group(HostilePayloadCluster.GroupKey, Alert("f2"));
        change(payload);
        return payload.ToJsonString();
    }

    private static string WithAlert(Action<JsonObject> change) => With(p => change(p["alerts"]![0]!.AsObject()));

    public static TheoryData<string, Case> Cases()
    {
        var oversized = Group(HostilePayloadCluster.GroupKey, Alert("f2"));
        oversized["padding"] = new string('x', 1024 * 1024);
        var manyAlerts = Group(HostilePayloadCluster.GroupKey, [.. Enumerable.Range(0, AlertGroupParser.MaxAlerts + 1).Select(i => Alert($"many{i}"))]);
        var deep = string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000));
        var data = new TheoryData<string, Case>
        {
            { "oversized body", new(oversized.ToJsonString(), Bearer, "application/json", HttpStatusCode.RequestEntityTooLarge, "the body is larger than 1048576 bytes") },
            { "wrong content type", new(Valid(), Bearer, "text/plain", HttpStatusCode.UnsupportedMediaType, "Content-Type is \"text/plain") },
            { "form content type", new(Valid(), Bearer, "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "Content-Type is") },
            { "non-UTF-8 charset", new(Valid(), Bearer, "application/json; charset=iso-8859-1", HttpStatusCode.UnsupportedMediaType, "Content-Type is") },
            { "not JSON", new("alertname=HighErrorRate", Bearer, "application/json", HttpStatusCode.BadRequest, "the body is not valid JSON") },
            { "empty body", new("", Bearer, "application/json", HttpStatusCode.BadRequest, "the body is not valid JSON") },
            { "JSON array", new($"[{Valid()}]", Bearer, "application/json", HttpStatusCode.BadRequest, "the payload must be a JSON object") },
            { "wrong version", new(With(p => p["version"] = "3"), Bearer, "application/json", HttpStatusCode.BadRequest, "version is \"3\"") },
            { "version as a number", new(With(p => p["version"] = 4), Bearer, "application/json", HttpStatusCode.BadRequest, "version must be a string") },
            { "groupKey missing", new(With(p => p.Remove("groupKey")), Bearer, "application/json", HttpStatusCode.BadRequest, "groupKey is missing") },
            { "status missing", new(With(p => p.Remove("status")), Bearer, "application/json", HttpStatusCode.BadRequest, "status is missing") },
            { "alerts not an array", new(With(p => p["alerts"] = "f2"), Bearer, "application/json", HttpStatusCode.BadRequest, "alerts must be an array") },
            { "labels not an object", new(WithAlert(a => a["labels"] = new JsonArray("web")), Bearer, "application/json", HttpStatusCode.BadRequest, "alerts[0].labels must be an object") },
            { "labels missing", new(WithAlert(a => a.Remove("labels")), Bearer, "application/json", HttpStatusCode.BadRequest, "alerts[0].labels is missing") },
            { "label value not a string", new(WithAlert(a => a["labels"]!["deployment"] = 7), Bearer, "application/json", HttpStatusCode.BadRequest, "alerts[0].labels.deployment must be a string") },
            { "startsAt not a date", new(WithAlert(a => a["startsAt"] = "last tuesday"), Bearer, "application/json", HttpStatusCode.BadRequest, "alerts[0].startsAt is \"last tuesday\"") },
            { "unknown alert status", new(WithAlert(a => a["status"] = "pending"), Bearer, "application/json", HttpStatusCode.BadRequest, "alerts[0].status is \"pending\"") },
            { "contradicting duplicates", new(Valid(Alert("f2"), Alert("f2", status: "resolved")), Bearer, "application/json", HttpStatusCode.BadRequest, "alerts[1] repeats fingerprint f2") },
            { "too many alerts", new(manyAlerts.ToJsonString(), Bearer, "application/json", HttpStatusCode.RequestEntityTooLarge, "the notification has 1001 alerts") },
            { "deeply nested JSON", new(deep, Bearer, "application/json", HttpStatusCode.BadRequest, "the body is not valid JSON") },
            { "no token", new(Valid(Alert("f2")), null, "application/json", HttpStatusCode.Unauthorized, "an Authorization header with a Bearer token is required") },
            { "wrong token", new(Valid(Alert("f2")), "Bearer not-the-token", "application/json", HttpStatusCode.Unauthorized, "the bearer token is not valid") },
            { "blank token", new(Valid(Alert("f2")), "Bearer   ", "application/json", HttpStatusCode.Unauthorized, "an Authorization header with a Bearer token is required") },
            { "token prefix", new(Valid(Alert("f2")), Bearer[..^1], "application/json", HttpStatusCode.Unauthorized, "the bearer token is not valid") },
            { "token for another scheme", new(Valid(Alert("f2")), "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alertmanager:" + IntakeHarness.Token)), "application/json", HttpStatusCode.Unauthorized, "an Authorization header with a Bearer token is required") },
            { "token without scheme", new(Valid(Alert("f2")), IntakeHarness.Token, "application/json", HttpStatusCode.Unauthorized, "an Authorization header with a Bearer token is required") },
            // Accepted but open nothing: the alert names no target the operator can act on.
            { "namespace label missing", new(WithAlert(a => a["labels"]!.AsObject().Remove("namespace")), Bearer, "application/json", HttpStatusCode.OK, "", "it has no namespace label") },
            { "unknown namespace", new(Valid(Alert("f2", ns: "no-such-namespace")), Bearer, "application/json", HttpStatusCode.OK, "", "Deployment no-such-namespace/web not found") },
            { "unknown deployment", new(Valid(Alert("f2", deployment: "ghost")), Bearer, "application/json", HttpStatusCode.OK, "", "Deployment default/ghost not found") },
            { "path traversal in a label", new(Valid(Alert("f2", deployment: "../../../api/v1/secrets")), Bearer, "application/json", HttpStatusCode.OK, "", "is not an object name") },
            // The group as already applied, with its alert twice: deduplicated, and nothing new to write.
            { "duplicated alert", new(Valid(Alert("f1"), Alert("f1")), Bearer, "application/json", HttpStatusCode.OK, "") },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_gets_its_status_code_and_changes_nothing(string name, Case request)
    {
        var intake = world.Intake;
        var before = Assert.Single(await intake.IncidentsAsync());
        var mark = intake.AuditMark();

        var (code, body) = await intake.PostAsync(request.Body, request.Authorization, request.ContentType);

        Assert.True(request.Expected == code, $"{name}: expected {(int)request.Expected}, got {(int)code}: {body.ToJsonString()}");
        if (request.Expected == HttpStatusCode.OK)
        {
            var unmapped = body["unmapped"]!.AsArray().Select(u => (string)u!["reason"]!).ToList();
            Assert.Equal(request.Unmapped is null ? 0 : 1, unmapped.Count);
            Assert.All(unmapped, reason => Assert.Contains(request.Unmapped!, reason, StringComparison.Ordinal));
        }
        else
        {
            Assert.StartsWith(request.Message, (string?)body["error"] ?? string.Empty, StringComparison.Ordinal);
        }

        Assert.Empty(intake.IncidentWritesSince(mark));
        Assert.DoesNotContain(intake.RequestsSince(mark), r => r.Resource == "secrets" && r.Name != IntakeHarness.TokenSecret);
        var after = Assert.Single(await intake.IncidentsAsync());
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal(before.Metadata.Name, after.Metadata.Name);
    }

    [Fact]
    public async Task A_body_without_content_length_is_cut_off_at_the_limit()
    {
        var intake = world.Intake;
        var mark = intake.AuditMark();
        var payload = Group(HostilePayloadCluster.GroupKey, Alert("f2"));
        payload["padding"] = new string('x', 2 * 1024 * 1024);
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(payload.ToJsonString())));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = null;

        var (code, _) = await intake.SendAsync(HttpMethod.Post, content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, code);
        Assert.Empty(intake.IncidentWritesSince(mark));
    }

    [Fact]
    public async Task Only_post_is_served()
    {
        var (code, _) = await world.Intake.SendAsync(HttpMethod.Get, null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, code);
    }
}
