using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using IncidentResponder.Api.Schema;
using k8s.Models;

namespace IncidentResponder.Crds;

/// <summary>
/// Applies the validation facts declared on one property (BCL attributes and our schema markers) to its schema.
/// Contradictions (a default outside the enum, a list-map key that is not required...) throw: a CRD the apiserver
/// would reject, or one that cannot be satisfied, must never be generated.
/// </summary>
internal static class PropertyConstraints
{
    public static void Apply(PropertyInfo property, V1JSONSchemaProps schema)
    {
        // A property's own description wins; the type's description (enums, classes) is the fallback.
        if (property.GetCustomAttribute<DescriptionAttribute>()?.Description is { } description)
        {
            schema.Description = description;
        }

        ApplyFormats(property, schema);
        ApplyLengths(property, schema);
        ApplyRange(property, schema);
        ApplyListType(property, schema);

        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } regex)
        {
            RequireType(schema, "string", "[RegularExpression]");
            schema.Pattern = regex.Pattern;
        }

        if (property.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null)
        {
            schema.XKubernetesPreserveUnknownFields = true;
        }

        var rules = property.GetCustomAttributes<CelRuleAttribute>().Select(OpenApiSchemaBuilder.ToValidationRule).ToList();
        if (rules.Count > 0)
        {
            schema.XKubernetesValidations = [.. schema.XKubernetesValidations ?? [], .. rules];
        }

        if (property.GetCustomAttribute<DefaultValueAttribute>() is { } defaultValue)
        {
            schema.DefaultProperty = TypedDefault(schema, defaultValue.Value);
        }
    }

    private static void ApplyFormats(PropertyInfo property, V1JSONSchemaProps schema)
    {
        if (property.GetCustomAttribute<DurationAttribute>() is not null)
        {
            RequireType(schema, "string", "[Duration]");
            schema.Pattern = SchemaPatterns.Duration;
        }

        if (property.GetCustomAttribute<QuantityAttribute>() is not null)
        {
            RequireType(schema, "string", "[Quantity]");

            // Structural schemas express int-or-string without a type, with the anyOf controller-gen emits.
            schema.Type = null;
            schema.XKubernetesIntOrString = true;
            schema.AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }];
            schema.Pattern = SchemaPatterns.Quantity;
        }

        if (property.GetCustomAttribute<DnsLabelAttribute>() is not null)
        {
            RequireType(schema, "string", "[DnsLabel]");
            schema.MaxLength = SchemaPatterns.DnsLabelMaxLength;
            schema.Pattern = SchemaPatterns.DnsLabel;
        }

        if (property.GetCustomAttribute<DnsSubdomainNameAttribute>() is not null)
        {
            RequireType(schema, "string", "[DnsSubdomainName]");
            schema.MaxLength = SchemaPatterns.DnsSubdomainNameMaxLength;
            schema.Pattern = SchemaPatterns.DnsSubdomainName;
        }
    }

    /// <summary>[MinLength]/[MaxLength] mean characters on strings and items on lists, as in DataAnnotations.</summary>
    private static void ApplyLengths(PropertyInfo property, V1JSONSchemaProps schema)
    {
        var min = property.GetCustomAttribute<MinLengthAttribute>()?.Length;
        var max = property.GetCustomAttribute<MaxLengthAttribute>()?.Length;
        if (min is null && max is null)
        {
            return;
        }

        switch (schema.Type)
        {
            case "string":
                schema.MinLength = min ?? schema.MinLength;
                schema.MaxLength = max ?? schema.MaxLength;
                break;
            case "array":
                schema.MinItems = min;
                schema.MaxItems = max;
                break;
            default:
                throw new InvalidOperationException($"[MinLength]/[MaxLength] need a string or a list, not {schema.Type}.");
        }
    }

    private static void ApplyRange(PropertyInfo property, V1JSONSchemaProps schema)
    {
        if (property.GetCustomAttribute<RangeAttribute>() is not { } range)
        {
            return;
        }

        if (schema.Type is not ("integer" or "number"))
        {
            throw new InvalidOperationException($"[Range] needs a number, not {schema.Type}.");
        }

        schema.Minimum = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        schema.Maximum = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        if (schema.Type == "integer" && (schema.Minimum % 1 != 0 || schema.Maximum % 1 != 0))
        {
            throw new InvalidOperationException("[Range] on an integer needs integer bounds.");
        }
    }

    private static void ApplyListType(PropertyInfo property, V1JSONSchemaProps schema)
    {
        if (property.GetCustomAttribute<ListSetAttribute>() is not null)
        {
            RequireType(schema, "array", "[ListSet]");
            var items = (V1JSONSchemaProps)schema.Items;
            if (items.Type is "object" or "array")
            {
                throw new InvalidOperationException("[ListSet] needs a list of scalars.");
            }

            schema.XKubernetesListType = "set";
        }

        if (property.GetCustomAttribute<ListMapKeysAttribute>() is { } mapKeys)
        {
            RequireType(schema, "array", "[ListMapKeys]");
            var items = (V1JSONSchemaProps)schema.Items;
            foreach (var key in mapKeys.Keys)
            {
                // The apiserver refuses a list-map whose keys may be absent (unless they have a default).
                if (items.Properties is null || !items.Properties.ContainsKey(key))
                {
                    throw new InvalidOperationException($"list-map key '{key}' is not a property of the items.");
                }

                if (items.Required?.Contains(key) != true && items.Properties[key].DefaultProperty is null)
                {
                    throw new InvalidOperationException($"list-map key '{key}' must be [Required] in the items.");
                }
            }

            schema.XKubernetesListType = "map";
            schema.XKubernetesListMapKeys = [.. mapKeys.Keys];
        }
    }

    /// <summary>Converts a [DefaultValue] to the JSON type of the schema, and checks it satisfies the schema's enum and pattern.</summary>
    private static object TypedDefault(V1JSONSchemaProps schema, object? value)
    {
        if (value is null)
        {
            throw new InvalidOperationException("[DefaultValue(null)] is not a default; leave the attribute out.");
        }

        var invariant = CultureInfo.InvariantCulture;
        object typed = schema.Type switch
        {
            "integer" => Convert.ToInt64(value, invariant),
            "number" => Convert.ToDouble(value, invariant),
            "boolean" => Convert.ToBoolean(value, invariant),
            "string" => value is Enum ? throw new InvalidOperationException("write enum defaults as their JSON string") : Convert.ToString(value, invariant)!,
            _ when schema.XKubernetesIntOrString == true => value,
            _ => throw new InvalidOperationException($"[DefaultValue] is not supported on {schema.Type}."),
        };

        if (schema.EnumProperty is { } allowed && !allowed.Contains(typed))
        {
            throw new InvalidOperationException($"default '{typed}' is not one of its enum values ({string.Join(", ", allowed)}).");
        }

        if (typed is string text && schema.Pattern is { } pattern && !Regex.IsMatch(text, pattern))
        {
            throw new InvalidOperationException($"default '{text}' does not match its pattern {pattern}.");
        }

        return typed;
    }

    private static void RequireType(V1JSONSchemaProps schema, string type, string marker)
    {
        if (schema.Type != type)
        {
            throw new InvalidOperationException($"{marker} needs a {type} property, not {schema.Type ?? "int-or-string"}.");
        }
    }
}
