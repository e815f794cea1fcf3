using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>
/// Freezes the operator at an exact point of its work: an admission step in the simulated API server that fails (500)
/// every write matching a predicate while armed, and reports the first one. Everything the operator did before that
/// write is committed, nothing after it can happen: the test then stops the operator, as if it had crashed there.
/// </summary>
internal sealed class CrashPoint(string resource, string? subresource, Func<JsonObject, JsonObject?, bool> matches) : IAdmissionStep
{
    private readonly TaskCompletionSource _hit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _armed = true;

    public Task Hit => _hit.Task;

    public int Rejected { get; private set; }

    public void Disarm() => _armed = false;

    public void Admit(AdmissionContext context, JsonObject obj, JsonObject? old)
    {
        if (!_armed || context.Options.DryRun || context.Definition.Type.Resource != resource || context.Subresource != subresource || !matches(obj, old))
        {
            return;
        }

        Rejected++;
        _hit.TrySetResult();
        throw new StoreException(500, "InternalError", "simulated crash point: the operator is stopped before this write");
    }
}
