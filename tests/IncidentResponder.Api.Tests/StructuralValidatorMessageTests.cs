using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Validation;

namespace IncidentResponder.Api.Tests;

/// <summary>The generic validator on hand-written schemas: OpenAPI v3 features the generated CRDs do not use yet.</summary>
public sealed class StructuralValidatorMessageTests
{
    private static IReadOnlyList<string> Errors(string schema, string document) =>
        new CustomResourceValidator(JsonNode.Parse(schema)!.AsObject())
            .Validate(JsonNode.Parse(document)!).Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void Int_or_string_accepts_both_and_rejects_other_types()
    {
        const string schema = """{"type":"object","properties":{"q":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]}}}""";

        Assert.Empty(Errors(schema, """{"q":512}"""));
        Assert.Empty(Errors(schema, """{"q":"512Mi"}"""));
        Assert.Contains("q: Invalid value: \"boolean\": q in body must be of type integer or string: \"boolean\"", Errors(schema, """{"q":true}"""));
    }

    [Fact]
    public void Nullable_allows_null_and_non_nullable_does_not()
    {
        const string schema = """{"type":"object","properties":{"a":{"type":"string","nullable":true},"b":{"type":"string"}}}""";

        Assert.Empty(Errors(schema, """{"a":null}"""));
        Assert.Contains("b: Invalid value: \"null\": b in body must be of type string: \"null\"", Errors(schema, """{"b":null}"""));
    }

    [Fact]
    public void Exclusive_bounds_in_their_openapi_boolean_form()
    {
        const string schema = """{"type":"object","properties":{"f":{"type":"number","minimum":0,"exclusiveMinimum":true,"maximum":1,"exclusiveMaximum":true}}}""";

        Assert.Empty(Errors(schema, """{"f":0.5}"""));
        Assert.Contains("f: Invalid value: 0: f in body should be greater than 0", Errors(schema, """{"f":0}"""));
        Assert.Contains("f: Invalid value: 1: f in body should be less than 1", Errors(schema, """{"f":1}"""));
    }

    [Fact]
    public void Date_time_format_and_min_length_are_checked()
    {
        const string schema = """{"type":"object","properties":{"t":{"type":"string","format":"date-time"},"s":{"type":"string","minLength":2}}}""";

        Assert.Empty(Errors(schema, """{"t":"2025-01-02T03:04:05Z","s":"ab"}"""));
        Assert.Contains("t: Invalid value: \"yesterday\": t in body must be of type date-time: \"yesterday\"", Errors(schema, """{"t":"yesterday"}"""));
        Assert.Contains("s: Invalid value: \"a\": s in body should be at least 2 chars long", Errors(schema, """{"s":"a"}"""));
    }

    [Fact]
    public void Map_keys_are_named_in_brackets()
    {
        const string schema = """{"type":"object","properties":{"labels":{"type":"object","additionalProperties":{"type":"string","maxLength":3}}}}""";

        Assert.Contains("labels[team]: Too long: may not be more than 3 bytes", Errors(schema, """{"labels":{"team":"payments"}}"""));
    }

    [Fact]
    public void Cel_reason_and_field_path_shape_the_error()
    {
        const string schema = """
            {"type":"object","properties":{"spec":{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},
              "x-kubernetes-validations":[
                {"rule":"has(self.a)","message":"a is needed","reason":"FieldValueRequired","fieldPath":".a"},
                {"rule":"!has(self.b)","message":"b is not allowed","reason":"FieldValueForbidden","fieldPath":".b"},
                {"rule":"self.a == 'x'"}]}}}
            """;

        var errors = Errors(schema, """{"spec":{"b":"y"}}""");

        Assert.Contains("spec.a: Required value: a is needed", errors);
        Assert.Contains("spec.b: Forbidden: b is not allowed", errors);
        Assert.Contains(errors, e => e.StartsWith("spec: Invalid value: \"object\": ", StringComparison.Ordinal) && e.Contains("evaluating rule: self.a == 'x'", StringComparison.Ordinal));
    }
}
