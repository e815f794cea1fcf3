namespace IncidentResponder.Api.Schema;

// Schema markers read by the CRD generator (IncidentResponder.Crds). They carry data only.
// Standard facts use the BCL's attributes where one exists:
//   [Description] (System.ComponentModel), [DefaultValue] (System.ComponentModel),
//   [Required], [Range], [MinLength]/[MaxLength] (strings and lists), [RegularExpression]
//   (System.ComponentModel.DataAnnotations). The markers below cover what the BCL lacks.

/// <summary>Short names for <c>kubectl get</c> (e.g. <c>inc</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShortNamesAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}

/// <summary>Categories, so that <c>kubectl get &lt;category&gt;</c> lists the kind.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CategoriesAttribute(params string[] categories) : Attribute
{
    public IReadOnlyList<string> Categories { get; } = categories;
}

/// <summary>An additional printer column for <c>kubectl get</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, string type, string jsonPath) : Attribute
{
    public string Name { get; } = name;

    /// <summary>OpenAPI type of the column: string, integer, number, boolean or date.</summary>
    public string Type { get; } = type;

    public string JsonPath { get; } = jsonPath;

    public string? Description { get; init; }

    /// <summary>0 shows in the default table; 1 or more only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }

    /// <summary>Column order: lower first. Columns keep declaration order where equal.</summary>
    public int Order { get; init; }
}

/// <summary>A CEL rule (<c>x-kubernetes-validations</c>) on a type or property.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    /// <summary>The message a person reads when the rule fails: say what is wrong and how to fix it.</summary>
    public string Message { get; } = message;

    /// <summary>Optional JSONPath-like field the error is reported on, relative to the rule's scope.</summary>
    public string? FieldPath { get; init; }

    /// <summary>Optional machine reason: FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate.</summary>
    public string? Reason { get; init; }
}

/// <summary>
/// A string holding a Go-style duration ("30s", "5m", "1h30m"). Emitted as a pattern that accepts only
/// non-negative durations, so "-5m" and "five minutes" are rejected at the API.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DurationAttribute : Attribute;

/// <summary>A Kubernetes resource quantity ("512Mi", "1Gi"): int-or-string with the quantity pattern.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class QuantityAttribute : Attribute;

/// <summary>A list whose items are identified by the given keys (<c>x-kubernetes-list-type: map</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapKeysAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}

/// <summary>A list of unique scalars (<c>x-kubernetes-list-type: set</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListSetAttribute : Attribute;

/// <summary>Keep unknown fields below this property (free-form data such as action details).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;

/// <summary>A string that must be a valid RFC 1123 DNS label (names of steps, objects in the same namespace).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DnsLabelAttribute : Attribute;

/// <summary>The property is left out of the schema (not part of the API).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaIgnoreAttribute : Attribute;

/// <summary>A string that must be a valid RFC 1123 DNS subdomain (object names).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DnsSubdomainNameAttribute : Attribute;
