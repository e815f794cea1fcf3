using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using IncidentResponder.Api.Schema;
using k8s.Models;

namespace IncidentResponder.Crds;

/// <summary>
/// Reflects over the API types and builds their structural OpenAPI v3 schema: the shape from the CLR types, the
/// validation facts from the attributes on properties (<see cref="PropertyConstraints"/>) and types.
/// </summary>
internal static class OpenApiSchemaBuilder
{
    /// <summary>The schema of a value of <paramref name="type"/>, before any property-level facts are applied.</summary>
    public static V1JSONSchemaProps ForType(Type type)
    {
        type = ClrTypes.UnwrapNullable(type);

        if (WellKnownSchemas.For(type) is { } wellKnown)
        {
            return wellKnown;
        }

        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }

        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }

        if (type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        }

        if (type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return new V1JSONSchemaProps { Type = "number" };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }

        if (type.IsEnum)
        {
            return new V1JSONSchemaProps
            {
                Type = "string",
                Description = type.GetCustomAttribute<DescriptionAttribute>()?.Description,
                EnumProperty = [.. ClrTypes.EnumValues(type)],
            };
        }

        if (ClrTypes.DictionaryValueType(type) is { } valueType)
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = ForType(valueType) };
        }

        if (ClrTypes.ListElementType(type) is { } elementType)
        {
            return new V1JSONSchemaProps { Type = "array", Items = ForType(elementType) };
        }

        if (type.IsClass && !type.IsAbstract)
        {
            return ForObject(type);
        }

        throw new NotSupportedException($"The CRD generator cannot map {type.FullName} to an OpenAPI schema.");
    }

    /// <summary>An object schema: one property per serialized CLR property (sorted, as kubectl explain lists them).</summary>
    private static V1JSONSchemaProps ForObject(Type type)
    {
        var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var property in ClrTypes.SerializedProperties(type))
        {
            if (property.GetCustomAttribute<SchemaIgnoreAttribute>() is not null)
            {
                continue;
            }

            var name = ClrTypes.JsonName(property);
            properties.Add(name, ForProperty(property));
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        var rules = type.GetCustomAttributes<CelRuleAttribute>().Select(ToValidationRule).ToList();
        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = type.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Properties = new Dictionary<string, V1JSONSchemaProps>(properties),
            Required = required.Count > 0 ? [.. required] : null,
            XKubernetesValidations = rules.Count > 0 ? rules : null,
        };
    }

    private static V1JSONSchemaProps ForProperty(PropertyInfo property)
    {
        var schema = ForType(property.PropertyType);
        try
        {
            PropertyConstraints.Apply(property, schema);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: {ex.Message}", ex);
        }

        return schema;
    }

    public static V1ValidationRule ToValidationRule(CelRuleAttribute rule) => new()
    {
        Rule = rule.Rule,
        Message = rule.Message,
        FieldPath = rule.FieldPath,
        Reason = rule.Reason,
    };
}
