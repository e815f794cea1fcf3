using System.Collections.Concurrent;
using System.Diagnostics;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Status;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Tests.Simulated;

/// <summary>
/// A minimal real reconciler: reads the Deployment from the API server and records status.observedGeneration through
/// the status writer. A Deployment labelled <c>invalid=true</c> is a terminal error (retrying cannot fix a bad spec).
/// </summary>
internal sealed class ObservedGenerationReconciler(IResourceClient<V1Deployment> client, int maxConflictRetries = 5) : IReconciler
{
    private readonly StatusWriter<V1Deployment> _status = new(client, NullLogger.Instance, maxConflictRetries);

    public ConcurrentQueue<(ReconcileRequest Request, TimeSpan At)> Attempts { get; } = new();

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        Attempts.Enqueue((request, Clock.Elapsed));
        var deployment = await client.GetAsync(request.Namespace, request.Name, cancellationToken);
        if (deployment is null)
        {
            return ReconcileResult.Done;
        }

        if (deployment.Metadata.Labels is { } labels && labels.TryGetValue("invalid", out var invalid) && invalid == "true")
        {
            throw new TerminalReconcileException("label invalid=true: this spec can never be reconciled");
        }

        await _status.UpdateAsync(deployment, d => { d.Status ??= new V1DeploymentStatus(); d.Status.ObservedGeneration = d.Metadata.Generation; }, cancellationToken);
        return ReconcileResult.Done;
    }

    public int AttemptsFor(string name) => Attempts.Count(a => a.Request.Name == name);
}
