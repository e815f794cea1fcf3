using System.Collections.Concurrent;
using IncidentResponder.Runtime.Controllers;

namespace IncidentResponder.Runtime.Tests.Controllers;

/// <summary>A reconciler whose behaviour per call is given by a script, recording every call.</summary>
internal sealed class ScriptedReconciler(Func<ReconcileRequest, int, CancellationToken, Task<ReconcileResult>> behaviour) : IReconciler
{
    private readonly ConcurrentDictionary<ReconcileRequest, int> _calls = new();

    public ConcurrentQueue<ReconcileRequest> Calls { get; } = new();

    public int CallsFor(ReconcileRequest request) => _calls.GetValueOrDefault(request);

    public Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var attempt = _calls.AddOrUpdate(request, 1, (_, n) => n + 1);
        Calls.Enqueue(request);
        return behaviour(request, attempt, cancellationToken);
    }
}
