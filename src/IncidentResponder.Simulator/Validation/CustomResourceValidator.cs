using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Validation;

/// <summary>
/// What the apiserver does to a custom resource on create, for one CRD version's schema, in its order:
/// prune unknown fields, apply defaults, validate against the structural schema and list types, then run the CEL rules.
/// Build one per CRD version and reuse it.
/// </summary>
public sealed class CustomResourceValidator
{
    private readonly JsonObject schema;
    private readonly StructuralSchemaValidator structural;
    private readonly CelRuleValidator cel;

    public CustomResourceValidator(JsonObject openApiV3Schema)
    {
        schema = (JsonObject)openApiV3Schema.DeepClone();
        structural = new StructuralSchemaValidator(schema);
        cel = new CelRuleValidator(schema);
    }

    /// <summary>The validator for <paramref name="version"/> of a CustomResourceDefinition (as JSON).</summary>
    public static CustomResourceValidator ForCrdVersion(JsonObject crd, string version)
    {
        var versions = crd["spec"]?["versions"] as JsonArray ?? [];
        var match = versions.OfType<JsonObject>().FirstOrDefault(v => SchemaNavigation.Text(v, "name") == version)
            ?? throw new ArgumentException($"the CRD has no version {version}", nameof(version));
        var openApi = match["schema"]?["openAPIV3Schema"] as JsonObject
            ?? throw new ArgumentException($"version {version} of the CRD has no openAPIV3Schema", nameof(version));
        return new CustomResourceValidator(openApi);
    }

    /// <summary>The CEL rules of the schema, and which of them the Cel library cannot enforce.</summary>
    public CelRuleValidator Cel => cel;

    /// <summary>Prunes, defaults and validates a copy of <paramref name="document"/>; the input is not changed.</summary>
    public CustomResourceAdmission Admit(JsonObject document)
    {
        var admitted = (JsonObject)document.DeepClone();
        var pruned = SchemaPruner.Prune(schema, admitted);
        SchemaDefaulter.Apply(schema, admitted);
        var (errors, warnings) = Validate(admitted);
        return new CustomResourceAdmission(admitted, errors, warnings, pruned);
    }

    /// <summary>Validates a document as it is (no pruning or defaulting): schema, list types, then CEL.</summary>
    public (IReadOnlyList<FieldError> Errors, IReadOnlyList<string> Warnings) Validate(JsonNode document)
    {
        var errors = new List<FieldError>(structural.Validate(document));
        errors.AddRange(ListTypeValidator.Validate(schema, document));

        // As the apiserver (hasBlockingErr): after a type error the rules would see values of the wrong type, so
        // they are not run, and the caller is told so. Other schema errors do not stop the rules.
        if (errors.Any(IsTypeError))
        {
            errors.Add(new FieldError(FieldErrorType.Invalid, "<nil>", "null",
                "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
            return (errors, cel.UnenforcedRules);
        }

        var celResult = cel.Validate(document);
        errors.AddRange(celResult.Errors);
        return (errors, celResult.Warnings);
    }

    private static bool IsTypeError(FieldError error) =>
        error.Type == FieldErrorType.Invalid && error.Detail.Contains(" in body must be of type ", StringComparison.Ordinal);
}

/// <summary>The result of admitting a custom resource: the pruned and defaulted object, field errors, warnings, and the dropped fields.</summary>
public sealed record CustomResourceAdmission(
    JsonObject Object,
    IReadOnlyList<FieldError> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> PrunedFields)
{
    public bool IsValid => Errors.Count == 0;
}
