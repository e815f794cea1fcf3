using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Validation;

/// <summary>The kinds of field error kube-apiserver reports (k8s.io/apimachinery/pkg/util/validation/field), with their wording.</summary>
public enum FieldErrorType
{
    Required,
    Invalid,
    NotSupported,
    TooLong,
    TooMany,
    Duplicate,
    Forbidden,
}

/// <summary>
/// One validation failure, as the apiserver reports it in a 422 Invalid status cause: <c>field</c>, <c>reason</c> and a
/// message such as <c>spec.severity: Unsupported value: "SEV-9": supported values: "SEV-1", "SEV-2"</c>.
/// </summary>
/// <param name="Type">What kind of failure.</param>
/// <param name="Field">The field path, e.g. <c>spec.steps[2].name</c>.</param>
/// <param name="BadValue">The offending value as Go's <c>%#v</c> would print it (quoted strings, bare numbers), or null when the error type omits it.</param>
/// <param name="Detail">Words after the value.</param>
public sealed record FieldError(FieldErrorType Type, string Field, string? BadValue, string Detail)
{
    /// <summary>The StatusCause reason: FieldValueRequired, FieldValueInvalid, ...</summary>
    public string Reason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        _ => "FieldValueInvalid",
    };

    /// <summary>The message without the field: <c>Invalid value: 0: ... should be greater than or equal to 1</c>.</summary>
    public string Body
    {
        get
        {
            var text = new StringBuilder(Type switch
            {
                FieldErrorType.Required => "Required value",
                FieldErrorType.NotSupported => "Unsupported value",
                FieldErrorType.TooLong => "Too long",
                FieldErrorType.TooMany => "Too many",
                FieldErrorType.Duplicate => "Duplicate value",
                FieldErrorType.Forbidden => "Forbidden",
                _ => "Invalid value",
            });

            // As in field.Error.ErrorBody: Required, Forbidden and TooLong never print the value.
            if (BadValue is not null && Type is not (FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong))
            {
                text.Append(": ").Append(BadValue);
            }

            if (Detail.Length > 0)
            {
                text.Append(": ").Append(Detail);
            }

            return text.ToString();
        }
    }

    public override string ToString() => $"{Field}: {Body}";

    /// <summary>A JSON value printed as Go prints the decoded value with <c>%#v</c> in field errors: strings quoted, numbers bare.</summary>
    public static string FormatValue(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String => Quote(scalar.GetValue<string>()),
        JsonValue scalar when scalar.GetValueKind() == JsonValueKind.Number => FormatNumber(scalar),
        JsonValue scalar when scalar.GetValueKind() is JsonValueKind.True or JsonValueKind.False => scalar.GetValue<bool>() ? "true" : "false",
        _ => Quote(JsonTypes.Of(value)),
    };

    /// <summary>A Go-style double-quoted string (strconv.Quote).</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text, QuoteOptions);

    public static string FormatNumber(double number) => number.ToString("R", CultureInfo.InvariantCulture);

    private static string FormatNumber(JsonValue number) =>
        number.TryGetValue<long>(out var integer) ? integer.ToString(CultureInfo.InvariantCulture) : FormatNumber(JsonTypes.ToDouble(number));

    // Unicode stays readable ("µs"), as in Go's strconv.Quote; only quotes, backslashes and control characters are escaped.
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
