using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Runtime.Status;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// The two ways the operator writes an Incident's status. Both send only what changed and nothing when nothing did.
/// </summary>
public sealed class IncidentStatusStore(IResourceClient<Incident> client, ILogger logger)
{
    // Events are idempotent, so re-applying them to a re-read object after a 409 is always right.
    private readonly StatusWriter<Incident> _eventWriter = new(client, logger);

    // A decision was made on one version of the incident; after a 409 it must be made again on the new one, never
    // pasted over it. The conflict propagates and the controller retries with a fresh read.
    private readonly StatusWriter<Incident> _decisionWriter = new(client, logger, maxConflictRetries: 0);

    /// <summary>Applies events (triage, action outcomes) through the pure state machine.</summary>
    public async Task<Incident> ApplyAsync(Incident incident, IReadOnlyCollection<IncidentEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return incident;
        }

        var result = await _eventWriter.UpdateAsync(incident, i =>
        {
            i.Status = IncidentStateMachine.ApplyAll(i.Status, events, now);
            i.Status.ObservedGeneration = i.Metadata.Generation;
        }, cancellationToken);
        return result.Object;
    }

    /// <summary>Writes the status the decider returned, on exactly the version it decided on.</summary>
    public async Task<Incident> WriteDecisionAsync(Incident incident, IncidentStatus status, CancellationToken cancellationToken)
    {
        var result = await _decisionWriter.UpdateAsync(incident, i =>
        {
            i.Status = IncidentStatusCopy.Clone(status);
            i.Status.ObservedGeneration = i.Metadata.Generation;
        }, cancellationToken);
        return result.Object;
    }
}
