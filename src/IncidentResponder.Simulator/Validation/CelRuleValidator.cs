using System.Text.Json.Nodes;
using Cel;

namespace IncidentResponder.Simulator.Validation;

/// <summary>
/// Evaluates the CEL rules (<c>x-kubernetes-validations</c>) of a structural schema against a document with the Cel
/// library, reporting failures as kube-apiserver does: <c>spec.steps: Invalid value: "array": &lt;message&gt;</c>
/// (the rule's fieldPath and reason applied). A rule the library cannot evaluate is never passed in silence: it
/// becomes a warning naming the rule and what is missing.
/// </summary>
public sealed class CelRuleValidator
{
    private readonly JsonObject schema;
    private readonly Dictionary<string, CelProgramDelegate> programs = new(StringComparer.Ordinal);
    private readonly CelEnvironment environment = Environment();

    // The Cel library gives no thread-safety guarantee; the API server may validate from many requests at once.
    private readonly Lock gate = new();

    public CelRuleValidator(JsonObject openApiV3Schema)
    {
        schema = openApiV3Schema;
        Rules = CelRules.Enumerate(openApiV3Schema);
    }

    /// <summary>Every rule in the schema, with the schema path it sits at.</summary>
    public IReadOnlyList<CelRuleLocation> Rules { get; }

    /// <summary>The rules the Cel library cannot evaluate, with the reason; these are not enforced.</summary>
    public IReadOnlyList<string> UnenforcedRules =>
        Rules.Where(rule => CelRuleSupport.WhyUnsupported(rule.Rule) is not null)
            .Select(rule => $"CEL rule at {rule.SchemaPath} is not enforced because {CelRuleSupport.WhyUnsupported(rule.Rule)}: {rule.Rule}")
            .ToList();

    public CelValidationResult Validate(JsonNode document)
    {
        var errors = new List<FieldError>();
        var warnings = new HashSet<string>(UnenforcedRules, StringComparer.Ordinal);
        lock (gate)
        {
            Walk(schema, document, "", errors, warnings);
        }

        return new CelValidationResult(errors, [.. warnings.Order(StringComparer.Ordinal)]);
    }

    private void Walk(JsonObject? nodeSchema, JsonNode? value, string path, List<FieldError> errors, HashSet<string> warnings)
    {
        if (value is null || nodeSchema is null)
        {
            return;
        }

        // Children first does not matter for the result; the apiserver runs a node's rules, then its children's.
        if (nodeSchema["x-kubernetes-validations"] is JsonArray rules)
        {
            foreach (var rule in rules.OfType<JsonObject>())
            {
                EvaluateRule(rule, nodeSchema, value, path, errors, warnings);
            }
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, member) in obj)
                {
                    Walk(SchemaNavigation.Property(nodeSchema, name), member, SchemaNavigation.Member(path, nodeSchema, name), errors, warnings);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(SchemaNavigation.Items(nodeSchema), array[i], SchemaNavigation.Index(path, i), errors, warnings);
                }

                break;
        }
    }

    private void EvaluateRule(JsonObject rule, JsonObject nodeSchema, JsonNode value, string path, List<FieldError> errors, HashSet<string> warnings)
    {
        var expression = SchemaNavigation.Text(rule, "rule") ?? "";
        if (CelRuleSupport.WhyUnsupported(expression) is not null)
        {
            return; // already in the warnings, from UnenforcedRules
        }

        var message = SchemaNavigation.Text(rule, "message")?.Trim();
        var ruleText = string.IsNullOrEmpty(message) ? expression.Trim() : message;
        var self = CelValues.From(value, nodeSchema);
        var type = JsonTypes.Of(value);

        object? result;
        try
        {
            result = Program(expression).Invoke(new Dictionary<string, object?> { ["self"] = self });
        }
        catch (CelException ex) when (IsMissingFeature(ex))
        {
            warnings.Add($"CEL rule at {path} is not enforced because the Cel library failed on it ({ex.Message}): {expression}");
            return;
        }
        catch (CelException ex)
        {
            // As the apiserver: "no such key: x evaluating rule: <message>".
            errors.Add(new FieldError(FieldErrorType.Invalid, path, FieldError.Quote(type), $"{ex.Message} evaluating rule: {ruleText}"));
            return;
        }

        if (result is true)
        {
            return;
        }

        if (result is not false)
        {
            errors.Add(new FieldError(FieldErrorType.Invalid, path, FieldError.Quote(type), $"rule did not evaluate to a bool (got {result ?? "null"}) evaluating rule: {ruleText}"));
            return;
        }

        var (errorPath, errorValue) = CelRules.ApplyFieldPath(path, value, SchemaNavigation.Text(rule, "fieldPath"));
        var detail = MessageFromExpression(rule, self) ?? (string.IsNullOrEmpty(message) ? $"failed rule: {expression.Trim()}" : message);
        errors.Add(SchemaNavigation.Text(rule, "reason") switch
        {
            "FieldValueForbidden" => new FieldError(FieldErrorType.Forbidden, errorPath, null, detail),
            "FieldValueRequired" => new FieldError(FieldErrorType.Required, errorPath, null, detail),
            "FieldValueDuplicate" => new FieldError(FieldErrorType.Duplicate, errorPath, FieldError.Quote(JsonTypes.Of(errorValue)), ""),
            _ => new FieldError(FieldErrorType.Invalid, errorPath, FieldError.Quote(JsonTypes.Of(errorValue)), detail),
        });
    }

    /// <summary>A messageExpression's text, when it has one the library can evaluate to a non-empty string.</summary>
    private string? MessageFromExpression(JsonObject rule, object? self)
    {
        if (SchemaNavigation.Text(rule, "messageExpression") is not { } expression || CelRuleSupport.WhyUnsupported(expression) is not null)
        {
            return null;
        }

        try
        {
            return Program(expression).Invoke(new Dictionary<string, object?> { ["self"] = self }) is string { Length: > 0 } text ? text.Trim() : null;
        }
        catch (CelException)
        {
            return null; // the apiserver falls back to the message too
        }
    }

    private CelProgramDelegate Program(string expression)
    {
        if (!programs.TryGetValue(expression, out var program))
        {
            program = environment.Compile(expression);
            programs[expression] = program;
        }

        return program;
    }

    /// <summary>
    /// The library's has() dispatches on the member's value and knows no timestamp, so has(self.at) on a present
    /// date-time failed where the apiserver answers true: a present member is there, whatever its type.
    /// </summary>
    private static CelEnvironment Environment()
    {
        var environment = new CelEnvironment([], "");
        environment.RegisterFunction("has", [typeof(DateTimeOffset)], _ => true);
        return environment;
    }

    /// <summary>Failures that mean "the library cannot do this", as opposed to "the document makes the rule fail".</summary>
    private static bool IsMissingFeature(CelException ex) =>
        ex is CelUnboundFunctionException or CelExpressionParserException or CelUndeclaredReferenceException;
}

/// <summary>CEL findings: the failed rules, and warnings for rules that could not be enforced.</summary>
public sealed record CelValidationResult(IReadOnlyList<FieldError> Errors, IReadOnlyList<string> Warnings);
