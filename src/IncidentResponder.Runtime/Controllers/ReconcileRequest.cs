namespace IncidentResponder.Runtime.Controllers;

/// <summary>
/// What a reconcile is asked to do: converge the object with this key. Only a key, on purpose: reconciles are
/// level-triggered and read the current state themselves, so a missed or merged event never loses work.
/// </summary>
public readonly record struct ReconcileRequest(string? Namespace, string Name)
{
    public override string ToString() => string.IsNullOrEmpty(Namespace) ? Name : $"{Namespace}/{Name}";
}
