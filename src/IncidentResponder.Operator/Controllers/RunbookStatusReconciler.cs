using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Status;
using IncidentResponder.Operator.Observation;
using StatusConditions = IncidentResponder.Runtime.Status.Conditions;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Keyed by Runbook: reports whether it is usable (Ready with observedGeneration) and how many steps it has.
/// Runbooks are authored by people; the operator writes only their status.
/// </summary>
public sealed class RunbookStatusReconciler(ClusterCache cache, StatusWriter<Runbook> writer, TimeProvider time) : IReconciler
{
    public const string Name = "runbook-status";

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var runbook = cache.Runbook(request.Namespace ?? string.Empty, request.Name);
        if (runbook is null)
        {
            return ReconcileResult.Done;
        }

        var problem = Problem(runbook.Spec);
        var now = time.GetUtcNow();
        await writer.UpdateAsync(runbook, r =>
        {
            r.Status ??= new RunbookStatus();
            r.Status.ObservedGeneration = r.Metadata.Generation;
            r.Status.StepCount = r.Spec.Steps.Count;
            r.Status.Conditions ??= [];
            StatusConditions.Set(r.Status.Conditions, Api.V1Alpha1.Conditions.Ready,
                problem is null ? StatusConditions.True : StatusConditions.False,
                problem is null ? Api.V1Alpha1.Conditions.Reasons.Valid : Api.V1Alpha1.Conditions.Reasons.InvalidSpec,
                problem ?? $"{r.Spec.Steps.Count} steps for {string.Join(", ", r.Spec.Signals)}", r.Metadata.Generation, now);
        }, cancellationToken);
        return ReconcileResult.Done;
    }

    /// <summary>What the schema cannot say: step names must be unique and a GoTo must name a step.</summary>
    public static string? Problem(RunbookSpec spec)
    {
        var duplicate = spec.Steps.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return $"step name {duplicate.Key} is used {duplicate.Count()} times";
        }

        var names = spec.Steps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var dangling = spec.Steps.FirstOrDefault(s => s.OnFailure?.Action == FailureAction.GoTo && !names.Contains(s.OnFailure.Step ?? string.Empty));
        return dangling is null ? null : $"step {dangling.Name} goes to step {dangling.OnFailure!.Step}, which does not exist";
    }
}
