using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Alerts;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Intake;

/// <summary>
/// Every real Alertmanager notification in the shared fixtures, posted byte for byte: accepted, and the incidents it
/// opens are the ones its own content names (one per group and Deployment with a firing alert; alerts without a
/// namespace and Deployment are accepted, reported as unmapped, and open nothing). Read in place, never copied here.
/// </summary>
public sealed class UpstreamFixtureTests
{
    /// <summary>Where the fixtures live: beside the repository, in ../shared, never at a machine's absolute path.</summary>
    private const string Folder = "reference/fixtures/alertmanager";
    private const string None = "(no fixtures)";

    public static TheoryData<string> Fixtures()
    {
        var files = RepositoryRoot.Shared(Folder) is { } directory ? Directory.GetFiles(directory, "*.json").Select(Path.GetFileName).Order().ToList() : [];
        return files.Count == 0 ? new TheoryData<string>(None) : new TheoryData<string>(files!);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task The_fixture_as_sent_is_accepted_and_opens_exactly_the_incidents_its_labels_name(string file)
    {
        var text = Read(file);
        await using var intake = await IntakeHarness.StartAsync();
        var expected = Expectation.Of(JsonNode.Parse(text)!.AsObject());
        foreach (var (ns, deployment) in expected.Targets)
        {
            await CreateDeploymentAsync(intake, ns, deployment);
        }

        var (code, body) = await intake.PostAsync(text);

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(expected.Unmapped.Count, body["unmapped"]!.AsArray().Count);
        Assert.All(body["unmapped"]!.AsArray(), u => Assert.Contains((string)u!["reason"]!, expected.Unmapped));
        var incidents = new List<Incident>();
        foreach (var ns in expected.Targets.Select(t => t.Namespace).Append(OperatorCluster.Namespace).Distinct())
        {
            incidents.AddRange(await intake.IncidentsAsync(ns));
        }

        Assert.Equal(expected.Opened.Keys.Order(), incidents.Select(i => i.Metadata.Name).Order());
        foreach (var incident in incidents)
        {
            AssertOpened(incident, expected.Opened[incident.Metadata.Name]);
        }

        // Alertmanager repeats the group every group_interval: the same notification again writes nothing.
        var mark = intake.AuditMark();
        Assert.Equal(HttpStatusCode.OK, (await intake.PostAsync(text)).Code);
        Assert.Empty(intake.IncidentWritesSince(mark));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task The_fixture_labelled_with_a_deployment_opens_one_incident_then_its_resolution_closes_it(string file)
    {
        // The upstream payloads mostly carry no Kubernetes labels; with namespace and deployment added to every alert
        // (and nothing else changed) the same notification is one group on one target: one incident.
        var payload = JsonNode.Parse(Read(file))!.AsObject();
        foreach (var alert in payload["alerts"]!.AsArray())
        {
            alert!["labels"]!["namespace"] = OperatorCluster.Namespace;
            alert["labels"]!["deployment"] = "fixture-target";
        }

        await using var intake = await IntakeHarness.StartAsync();
        await CreateDeploymentAsync(intake, OperatorCluster.Namespace, "fixture-target");
        var firing = WithStatus(payload, "firing");
        var expected = Expectation.Of(firing);
        var name = Assert.Single(expected.Opened.Keys);

        var opened = await intake.PostAsync(firing);

        Assert.Equal(HttpStatusCode.OK, opened.Code);
        Assert.Equal("Created", (string?)Assert.Single(opened.Body["incidents"]!.AsArray())!["outcome"]);
        var incident = Assert.Single(await intake.IncidentsAsync());
        Assert.Equal(name, incident.Metadata.Name);
        AssertOpened(incident, expected.Opened[name]);

        var resolved = await intake.PostAsync(WithStatus(payload, "resolved"));

        Assert.Equal(HttpStatusCode.OK, resolved.Code);
        incident = Assert.Single(await intake.IncidentsAsync());
        Assert.All(incident.Status!.Signals!, s => Assert.True(s.Cleared, $"signal {s.Fingerprint} is not cleared"));
        Assert.Equal(IncidentPhase.Resolved, incident.Status.Phase);
    }

    private static void AssertOpened(Incident incident, IReadOnlyCollection<string> firingFingerprints)
    {
        Assert.Equal(IncidentSource.Alertmanager, incident.Spec.Source);
        Assert.Equal(SignalType.Alert, incident.Spec.Signal.Type);
        Assert.Equal(IncidentPhase.Detected, incident.Status?.Phase);
        Assert.Equal(firingFingerprints.Select(f => "alert/" + f).Order(), incident.Status!.Signals!.Select(s => s.Fingerprint).Order());
        Assert.Equal("incident-responder", incident.Metadata.Labels[WellKnown.ManagedByLabel]);
    }

    private static string Read(string file)
    {
        if (file == None)
        {
            Assert.Skip($"no Alertmanager fixtures (*.json) in {Path.Combine(RepositoryRoot.SharedPath, Folder)}");
        }

        return File.ReadAllText(Path.Combine(RepositoryRoot.RequireShared(Folder), file));
    }

    private static async Task CreateDeploymentAsync(IntakeHarness intake, string ns, string name)
    {
        if (ns != OperatorCluster.Namespace)
        {
            await intake.Cluster.Kubectl.RunAsync("create", "namespace", ns); // may exist already: another alert's target
        }

        (await intake.Cluster.Kubectl.RunAsync("create", "deployment", name, "--image=nginx:1.25", "-n", ns)).ShouldSucceed();
    }

    /// <summary>The notification with its group and every alert set to a status (a resolved one gets an end time).</summary>
    private static JsonObject WithStatus(JsonObject payload, string status)
    {
        var copy = payload.DeepClone().AsObject();
        copy["status"] = status;
        foreach (var alert in copy["alerts"]!.AsArray())
        {
            alert!["status"] = status;
            alert["endsAt"] = status == "firing" ? "0001-01-01T00:00:00Z" : "2030-01-01T00:00:00Z";
        }

        return copy;
    }

    /// <summary>What a notification should do, read from the notification itself.</summary>
    private sealed record Expectation(
        IReadOnlyCollection<(string Namespace, string Deployment)> Targets,
        IReadOnlyDictionary<string, IReadOnlyCollection<string>> Opened,
        IReadOnlyCollection<string> Unmapped)
    {
        public static Expectation Of(JsonObject payload)
        {
            var groupKey = (string)payload["groupKey"]!;
            var alerts = payload["alerts"]!.AsArray().Select(a => a!.AsObject()).Select(a =>
            {
                var labels = a["labels"]!.AsObject().ToDictionary(l => l.Key, l => (string)l.Value!);
                var status = (string?)a["status"] ?? (string)payload["status"]!;
                var fingerprint = (string?)a["fingerprint"] ?? AlertFingerprint.FromLabels(labels);
                return (Labels: labels, Status: status, Fingerprint: fingerprint,
                    Namespace: labels.GetValueOrDefault("namespace"), Deployment: labels.GetValueOrDefault("deployment"));
            }).ToList();
            var mappable = alerts.Where(a => a.Namespace is not null && a.Deployment is not null).ToList();
            var opened = mappable.Where(a => a.Status == "firing")
                .GroupBy(a => AlertIncidentNames.For(groupKey, a.Namespace!, a.Deployment!))
                .ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)[.. g.Select(a => a.Fingerprint).Distinct()]);
            var unmapped = alerts.Where(a => a.Namespace is null || a.Deployment is null)
                .Select(a => a.Namespace is null ? "it has no namespace label" : "it has no deployment, pod or service label").ToList();
            return new Expectation([.. mappable.Select(a => (a.Namespace!, a.Deployment!)).Distinct()], opened, unmapped);
        }
    }
}
