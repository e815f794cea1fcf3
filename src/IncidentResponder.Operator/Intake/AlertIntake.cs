using System.Net;
using IncidentResponder.Core.Alerts;
using k8s.Autorest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Intake;

/// <summary>
/// One notification, start to end: validate all of it, look up what its alerts name, decide every incident, and only
/// then write. A malformed notification changes nothing. When the API server fails midway, the answer is 503 and
/// Alertmanager sends the notification again; every write is idempotent, so the retry completes what was begun.
/// </summary>
public sealed class AlertIntake(
    TargetFactsReader facts, AlertPolicyReader policies, AlertIncidentWriter writer, IReadOnlyCollection<string> watchedNamespaces,
    AlertIntakeMetrics metrics, TimeProvider time, ILogger<AlertIntake> logger)
{
    public async Task<AlertIntakeResult> HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var parsed = AlertGroupParser.Parse(body);
        if (parsed.Group is not { } group)
        {
            var code = parsed.Problem == PayloadProblem.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            return AlertIntakeResult.Error(code, parsed.Message!);
        }

        try
        {
            var found = await facts.ReadAsync(AlertTargetMapper.Lookups(group, watchedNamespaces), watchedNamespaces, cancellationToken);
            var plan = AlertIntakePlanner.Plan(group, found);
            var governing = await policies.ReadAsync(plan.Incidents, cancellationToken);
            var now = time.GetUtcNow();
            var answers = new List<IncidentAnswer>();
            foreach (var incident in plan.Incidents)
            {
                var outcome = await writer.ApplyAsync(group, incident, governing[incident.Name], now, cancellationToken);
                answers.Add(new IncidentAnswer(incident.Namespace, incident.Name, incident.Target.Deployment.Name, outcome.ToString()));
            }

            Count(group, plan);
            return new AlertIntakeResult(StatusCodes.Status200OK, new AlertIntakeResponse
            {
                GroupKey = group.GroupKey,
                Alerts = group.Alerts.Count,
                Incidents = answers,
                Unmapped = [.. plan.Unmapped.Select(u => new UnmappedAnswer(u.Alert.Fingerprint, u.Alert.Name, u.UnmappedReason!))],
            });
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            // The operator's RBAC lacks a grant: the operator's fault, not the caller's, and a retry will not help soon.
            logger.LogError("Alertmanager notification for group {GroupKey} not applied: forbidden: {Error}", group.GroupKey, error.Response.Content);
            return AlertIntakeResult.Error(StatusCodes.Status500InternalServerError, $"the operator is not allowed to read or write what this notification needs: {error.Message}");
        }
        catch (Exception error) when (IsApiFailure(error) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Alertmanager notification for group {GroupKey} not applied; the API server failed: {Error}", group.GroupKey, error.Message);
            return AlertIntakeResult.Error(StatusCodes.Status503ServiceUnavailable, $"the Kubernetes API server could not be reached or failed; retry later: {error.Message}");
        }
    }

    /// <summary>
    /// The API server failed or could not be reached; an incident vanishing between read and write (an
    /// InvalidOperationException wrapping the API's answer) counts too. A bug is not hidden behind a retry.
    /// </summary>
    private static bool IsApiFailure(Exception error) =>
        error is HttpOperationException or HttpRequestException or TaskCanceledException
        || error is InvalidOperationException { InnerException: HttpOperationException };

    private void Count(AlertGroup group, AlertIntakePlan plan)
    {
        foreach (var status in group.Alerts.GroupBy(a => a.Status))
        {
            metrics.AlertsReceived.WithLabels(status.Key == AlertStatus.Firing ? "firing" : "resolved").Inc(status.Count());
        }

        metrics.Unmapped.Inc(plan.Unmapped.Count);
        foreach (var unmapped in plan.Unmapped)
        {
            // Debug: Alertmanager repeats a group every group_interval, and alerts for other teams' systems are normal.
            logger.LogDebug("Alert {Alert} ({Fingerprint}) of group {GroupKey} opens no incident: {Reason}",
                unmapped.Alert.Name, unmapped.Alert.Fingerprint, group.GroupKey, unmapped.UnmappedReason);
        }
    }
}
