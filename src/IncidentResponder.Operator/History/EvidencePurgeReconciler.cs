using IncidentResponder.History;
using IncidentResponder.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.History;

/// <summary>
/// Deletes evidence older than the retention from the history store, then looks again after <see cref="Interval"/>:
/// one key, on the leader only (controllers run while leading), so two replicas never purge at once.
/// </summary>
public sealed class EvidencePurgeReconciler(HistoryStore store, TimeSpan retention, TimeProvider time, ILogger<EvidencePurgeReconciler> logger) : IReconciler
{
    public const string Name = "history-evidence-retention";

    /// <summary>The one key this controller reconciles.</summary>
    public static readonly ReconcileRequest Key = new(null, "evidence");

    /// <summary>How often the purge runs: hourly, or more often for a retention shorter than a day.</summary>
    public TimeSpan Interval => retention < TimeSpan.FromDays(1) ? retention / 24 : TimeSpan.FromHours(1);

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - retention;
        var deleted = await store.PurgeEvidenceAsync(before, cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            logger.LogInformation("Purged the evidence of {Count} incident(s) closed before {Before:u}", deleted, before);
        }

        return ReconcileResult.RequeueAfter(Interval);
    }
}
