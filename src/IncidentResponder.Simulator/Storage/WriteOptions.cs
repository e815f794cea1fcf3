using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>How the server treats fields it does not know (the <c>fieldValidation</c> query parameter).</summary>
public enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}

/// <summary>Request-level options of a write: dry run, field validation, and the warnings the write produced.</summary>
public sealed class WriteOptions
{
    public bool DryRun { get; init; }

    public FieldValidation FieldValidation { get; init; } = FieldValidation.Ignore;

    /// <summary>Warnings for the <c>Warning: 299</c> response header (unknown fields under Warn, deprecations).</summary>
    public List<string> Warnings { get; } = [];
}

/// <summary>Request-level options of a delete (DeleteOptions).</summary>
public sealed class DeleteOptions
{
    public bool DryRun { get; init; }

    /// <summary>Background (default), Foreground or Orphan.</summary>
    public string? PropagationPolicy { get; init; }

    public long? GracePeriodSeconds { get; init; }

    public string? PreconditionUid { get; init; }

    public string? PreconditionResourceVersion { get; init; }
}

public enum AdmissionOperation
{
    Create,
    Update,
}

/// <summary>What an admission step sees: the resource, operation, subresource and request options.</summary>
public sealed record AdmissionContext(ResourceDefinition Definition, AdmissionOperation Operation, string? Subresource, WriteOptions Options);

/// <summary>
/// A step every write passes after the server has merged metadata and before it is stored: defaulting, pruning and
/// validation. It may change the object or throw a <see cref="StoreException"/> (422 Invalid, 400 BadRequest).
/// </summary>
public interface IAdmissionStep
{
    void Admit(AdmissionContext context, JsonObject obj, JsonObject? old);
}
