using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace IncidentResponder.Simulator.Validation;

/// <summary>
/// Validates a document against a CRD version's openAPIV3Schema with JsonSchema.Net, and words each failure as
/// kube-apiserver does (kube-openapi's messages turned into field errors by apiextensions-apiserver), e.g.
/// <c>spec.guardrails.maxReplicas: Invalid value: 0: spec.guardrails.maxReplicas in body should be greater than or equal to 1</c>.
/// Build one per schema and reuse it: building the JSON Schema is the expensive part.
/// </summary>
public sealed class StructuralSchemaValidator
{
    private readonly JsonObject translated;
    private readonly JsonSchema schema;

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public StructuralSchemaValidator(JsonObject openApiV3Schema)
    {
        translated = OpenApiToJsonSchema.Translate(openApiV3Schema);
        translated["$schema"] = "https://json-schema.org/draft/2020-12/schema";

        // A registry per schema: each CRD's schema is anonymous, and a shared registry would see them as one URI.
        var build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        schema = JsonSchema.Build(JsonSerializer.SerializeToElement(translated), build, new Uri($"urn:crd-schema:{Guid.NewGuid():N}"));
    }

    public IReadOnlyList<FieldError> Validate(JsonNode document)
    {
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(document), Options);
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<FieldError>();
        var failedAlternatives = new HashSet<string>(StringComparer.Ordinal);
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is not { Count: > 0 })
            {
                continue;
            }

            if (IsInsideAlternative(detail.EvaluationPath.ToString()))
            {
                // JsonSchema.Net reports a failed anyOf through its branches only; report it once, at the instance.
                failedAlternatives.Add(detail.InstanceLocation.ToString());
                continue;
            }

            var (path, value, schemaNode) = Locate(document, translated, detail.InstanceLocation.ToString());
            foreach (var (keyword, message) in detail.Errors)
            {
                errors.AddRange(Describe(keyword, message, schemaNode, path, value));
            }
        }

        foreach (var location in failedAlternatives)
        {
            var (path, value, schemaNode) = Locate(document, translated, location);
            var keyword = schemaNode?.ContainsKey("anyOf") == true ? "anyOf" : schemaNode?.ContainsKey("oneOf") == true ? "oneOf" : "not";
            errors.AddRange(Describe(keyword, "", schemaNode, path, value));
        }

        return errors.Distinct().ToList();
    }

    /// <summary>Failures inside anyOf/oneOf/not branches are reported once, by the combinator itself.</summary>
    private static bool IsInsideAlternative(string evaluationPath) =>
        evaluationPath.Contains("/anyOf/", StringComparison.Ordinal)
        || evaluationPath.Contains("/oneOf/", StringComparison.Ordinal)
        || evaluationPath.Contains("/not/", StringComparison.Ordinal)
        || evaluationPath.EndsWith("/not", StringComparison.Ordinal);

    private static IEnumerable<FieldError> Describe(string keyword, string libraryMessage, JsonObject? node, string path, JsonNode? value)
    {
        var inBody = $"{path} in body";
        switch (keyword)
        {
            case "type":
                var expected = node?["type"] is JsonArray types ? types[0]!.GetValue<string>() : node?["type"]?.GetValue<string>();
                var actual = JsonTypes.Of(value);
                yield return Invalid(path, FieldError.Quote(actual), $"{inBody} must be of type {expected}: {FieldError.Quote(actual)}");
                break;
            case "enum":
                var supported = (node?["enum"] as JsonArray ?? []).Where(v => v is not null).Select(FieldError.FormatValue);
                yield return new FieldError(FieldErrorType.NotSupported, path, FieldError.FormatValue(value), $"supported values: {string.Join(", ", supported)}");
                break;
            case "required":
                var present = value as JsonObject;
                foreach (var name in node?["required"] as JsonArray ?? [])
                {
                    var field = name!.GetValue<string>();
                    if (present is null || !present.ContainsKey(field))
                    {
                        yield return new FieldError(FieldErrorType.Required, SchemaNavigation.Child(path, field), null, "");
                    }
                }

                break;
            case "minimum":
                yield return Invalid(path, value, $"{inBody} should be greater than or equal to {Number(node, keyword)}");
                break;
            case "exclusiveMinimum":
                yield return Invalid(path, value, $"{inBody} should be greater than {Number(node, keyword)}");
                break;
            case "maximum":
                yield return Invalid(path, value, $"{inBody} should be less than or equal to {Number(node, keyword)}");
                break;
            case "exclusiveMaximum":
                yield return Invalid(path, value, $"{inBody} should be less than {Number(node, keyword)}");
                break;
            case "multipleOf":
                yield return Invalid(path, value, $"{inBody} should be a multiple of {Number(node, keyword)}");
                break;
            case "minLength":
                yield return Invalid(path, value, $"{inBody} should be at least {Number(node, keyword)} chars long");
                break;
            case "maxLength":
                yield return new FieldError(FieldErrorType.TooLong, path, null, $"may not be more than {Number(node, keyword)} bytes");
                break;
            case "minItems":
                yield return Invalid(path, Count(value).ToString(CultureInfo.InvariantCulture), $"{inBody} should have at least {Number(node, keyword)} items");
                break;
            case "maxItems":
                yield return new FieldError(FieldErrorType.TooMany, path, Count(value).ToString(CultureInfo.InvariantCulture), $"must have at most {Number(node, keyword)} items");
                break;
            case "minProperties":
                yield return Invalid(path, Count(value).ToString(CultureInfo.InvariantCulture), $"{inBody} should have at least {Number(node, keyword)} properties");
                break;
            case "maxProperties":
                yield return new FieldError(FieldErrorType.TooMany, path, Count(value).ToString(CultureInfo.InvariantCulture), $"must have at most {Number(node, keyword)} properties");
                break;
            case "pattern":
                yield return Invalid(path, value, $"{inBody} should match '{node?["pattern"]?.GetValue<string>()}'");
                break;
            case "format":
                var format = node?["format"]?.GetValue<string>();
                yield return Invalid(path, value, $"{inBody} must be of type {format}: {FieldError.FormatValue(value)}");
                break;
            case "uniqueItems":
                foreach (var duplicate in Duplicates(value as JsonArray))
                {
                    yield return new FieldError(FieldErrorType.Duplicate, SchemaNavigation.Index(path, duplicate.Index), FieldError.FormatValue(duplicate.Item), "");
                }

                break;
            case "anyOf" when IsIntOrString(node):
                var kind = JsonTypes.Of(value);
                yield return Invalid(path, FieldError.Quote(kind), $"{inBody} must be of type integer or string: {FieldError.Quote(kind)}");
                break;
            case "anyOf":
                yield return Invalid(path, value, $"{inBody} must validate at least one schema (anyOf)");
                break;
            case "oneOf":
                yield return Invalid(path, value, $"{inBody} must validate one and only one schema (oneOf)");
                break;
            case "not":
                yield return Invalid(path, value, $"{inBody} must not validate the schema (not)");
                break;
            default:
                // Keywords that only aggregate their children (properties, items...) repeat what the children said.
                if (keyword is not ("properties" or "items" or "additionalProperties" or "allOf" or "patternProperties"))
                {
                    yield return Invalid(path, value, $"{inBody}: {libraryMessage}");
                }

                break;
        }
    }

    private static FieldError Invalid(string path, JsonNode? value, string detail) => Invalid(path, FieldError.FormatValue(value), detail);

    private static FieldError Invalid(string path, string formattedValue, string detail) => new(FieldErrorType.Invalid, path, formattedValue, detail);

    private static string Number(JsonObject? node, string keyword) =>
        node?[keyword] is JsonValue number ? FieldError.FormatNumber(JsonTypes.ToDouble(number)) : "?";

    private static int Count(JsonNode? value) => value switch
    {
        JsonArray array => array.Count,
        JsonObject obj => obj.Count,
        _ => 0,
    };

    private static bool IsIntOrString(JsonObject? node) =>
        node?["anyOf"] is JsonArray { Count: 2 } branches
        && branches.Select(b => b?["type"]?.GetValue<string>()).Order().SequenceEqual(["integer", "string"]);

    private static IEnumerable<(int Index, JsonNode? Item)> Duplicates(JsonArray? array)
    {
        if (array is null)
        {
            yield break;
        }

        for (var i = 0; i < array.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (JsonNode.DeepEquals(array[i], array[j]))
                {
                    yield return (i, array[i]);
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The apiserver-style field path, the value, and the (translated) schema an instance location names. The schema
    /// is found by walking the structural schema along the instance, not from the library's evaluation path: for
    /// items, JsonSchema.Net 8.0.5 reports evaluation paths such as <c>/properties/steps/items/items</c>.
    /// </summary>
    private static (string Path, JsonNode? Value, JsonObject? Schema) Locate(JsonNode document, JsonObject rootSchema, string pointer)
    {
        var path = "";
        JsonNode? node = document;
        JsonObject? schemaNode = rootSchema;
        foreach (var segment in Segments(pointer))
        {
            switch (node)
            {
                case JsonArray array when int.TryParse(segment, CultureInfo.InvariantCulture, out var index):
                    path = SchemaNavigation.Index(path, index);
                    node = index < array.Count ? array[index] : null;
                    schemaNode = SchemaNavigation.Items(schemaNode);
                    break;
                case JsonObject obj:
                    path = SchemaNavigation.Member(path, schemaNode, segment);
                    node = obj[segment];
                    schemaNode = SchemaNavigation.Property(schemaNode, segment);
                    break;
                default:
                    path = SchemaNavigation.Child(path, segment);
                    node = null;
                    schemaNode = null;
                    break;
            }
        }

        return (path, node, schemaNode);
    }

    private static IEnumerable<string> Segments(string pointer) =>
        pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(segment => Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
}
