using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>One field error of a 422 Invalid: reason (FieldValueInvalid...), message body and field path.</summary>
public sealed record FieldCause(string Reason, string Message, string Field);

/// <summary>
/// Builds the errors kube-apiserver returns, with the exact reasons, messages and details of
/// <c>k8s.io/apimachinery/pkg/api/errors</c>.
/// </summary>
public static class ApiErrors
{
    public static StoreException NotFound(ResourceDefinition definition, string name) =>
        new(404, "NotFound", $"{definition.QualifiedResource} \"{name}\" not found") { Details = Details(name, definition.Type.Group, definition.Type.Resource) };

    public static StoreException NamespaceNotFound(string name) =>
        new(404, "NotFound", $"namespaces \"{name}\" not found") { Details = Details(name, "", "namespaces") };

    public static StoreException AlreadyExists(ResourceDefinition definition, string name) =>
        new(409, "AlreadyExists", $"{definition.QualifiedResource} \"{name}\" already exists") { Details = Details(name, definition.Type.Group, definition.Type.Resource) };

    public static StoreException Conflict(ResourceDefinition definition, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {definition.QualifiedResource} \"{name}\": {why}") { Details = Details(name, definition.Type.Group, definition.Type.Resource) };

    public const string OptimisticLockMessage = "the object has been modified; please apply your changes to the latest version and try again";

    public static StoreException Invalid(ResourceDefinition definition, string name, IReadOnlyList<FieldCause> causes) =>
        Invalid(definition.QualifiedKind, definition.Type.Group, definition.Type.Kind, name, causes);

    public static StoreException Invalid(string qualifiedKind, string group, string kind, string name, IReadOnlyList<FieldCause> causes)
    {
        var texts = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var joined = texts.Count == 1 ? texts[0] : $"[{string.Join(", ", texts)}]";
        var details = Details(name, group, kind);
        details["causes"] = new JsonArray(causes.Select(c => (JsonNode)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field }).ToArray());
        return new StoreException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {joined}") { Details = details };
    }

    public static StoreException BadRequest(string message) => new(400, "BadRequest", message);

    public static StoreException Expired(string message) => new(410, "Expired", message);

    public static StoreException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static StoreException NotAcceptable(string message) => new(406, "NotAcceptable", message);

    public static StoreException UnsupportedMediaType(string message) => new(415, "UnsupportedMediaType", message);

    /// <summary>The Status object for an error, as the server writes it in a response body or watch ERROR event.</summary>
    public static JsonObject ToStatus(StoreException error)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = error.Message,
            ["reason"] = error.Reason,
        };
        if (error.Details is { } details)
        {
            status["details"] = details.DeepClone();
        }
        else if (error.RetryAfterSeconds is { } retry)
        {
            status["details"] = new JsonObject { ["retryAfterSeconds"] = retry };
        }

        status["code"] = error.Code;
        return status;
    }

    private static JsonObject Details(string name, string group, string kind)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        return details;
    }
}
