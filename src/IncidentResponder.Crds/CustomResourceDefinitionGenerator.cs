using System.ComponentModel;
using System.Reflection;
using IncidentResponder.Api.Schema;
using IncidentResponder.Api.V1Alpha1;
using k8s.Models;

namespace IncidentResponder.Crds;

/// <summary>
/// Builds the CustomResourceDefinitions of every entity type (a class with [KubernetesEntity]) in the API assembly.
/// This is the only source of the CRD YAML; the checked-in files are its output.
/// </summary>
public static class CustomResourceDefinitionGenerator
{
    /// <summary>The entity types of the API assembly, ordered by kind so the output is deterministic.</summary>
    public static IReadOnlyList<Type> EntityTypes() =>
        typeof(GroupVersion).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && type.GetCustomAttribute<KubernetesEntityAttribute>() is not null)
            .OrderBy(type => type.GetCustomAttribute<KubernetesEntityAttribute>()!.Kind, StringComparer.Ordinal)
            .ToList();

    /// <summary>All CRDs, ordered by kind.</summary>
    public static IReadOnlyList<V1CustomResourceDefinition> GenerateAll() => EntityTypes().Select(Generate).ToList();

    public static V1CustomResourceDefinition Generate(Type entityType)
    {
        var entity = entityType.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{entityType.Name} has no [KubernetesEntity].", nameof(entityType));
        var plural = entity.PluralName ?? throw new ArgumentException($"{entityType.Name} declares no PluralName.", nameof(entityType));

        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{plural}.{entity.Group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = entity.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = entity.Kind,
                    ListKind = entity.Kind + "List",
                    Plural = plural,
                    Singular = entity.Kind.ToLowerInvariant(),
                    ShortNames = NullIfEmpty(entityType.GetCustomAttribute<ShortNamesAttribute>()?.Names),
                    Categories = NullIfEmpty(entityType.GetCustomAttribute<CategoriesAttribute>()?.Categories),
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = entity.ApiVersion,
                        Served = true,
                        Storage = true,
                        Subresources = HasStatus(entityType)
                            ? new V1CustomResourceSubresources { Status = new Dictionary<string, object>() }
                            : null,
                        AdditionalPrinterColumns = NullIfEmpty(PrinterColumns(entityType)),
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = RootSchema(entityType) },
                    },
                ],
            },
        };
    }

    /// <summary>The root schema: the standard apiVersion/kind/metadata, then spec and status from the CLR types.</summary>
    private static V1JSONSchemaProps RootSchema(Type entityType)
    {
        var properties = new Dictionary<string, V1JSONSchemaProps>
        {
            ["apiVersion"] = new()
            {
                Type = "string",
                Description = "APIVersion defines the versioned schema of this representation of an object.",
            },
            ["kind"] = new()
            {
                Type = "string",
                Description = "Kind is a string value representing the REST resource this object represents.",
            },
            ["metadata"] = new() { Type = "object" },
        };

        var spec = entityType.GetProperty("Spec")?.PropertyType
            ?? throw new ArgumentException($"{entityType.Name} has no Spec.", nameof(entityType));
        var kind = entityType.GetCustomAttribute<KubernetesEntityAttribute>()!.Kind;
        properties["spec"] = OpenApiSchemaBuilder.ForType(spec);
        properties["spec"].Description ??= $"The desired state of the {kind}.";
        if (entityType.GetProperty("Status")?.PropertyType is { } status)
        {
            properties["status"] = OpenApiSchemaBuilder.ForType(status);
            properties["status"].Description ??= $"The observed state of the {kind}, written only by the operator through the status subresource.";
        }

        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = entityType.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Properties = properties,
            Required = ["spec"],
        };
    }

    private static bool HasStatus(Type entityType) => entityType.GetProperty("Status") is not null;

    /// <summary>Printer columns by Order, then in declaration order (OrderBy is stable).</summary>
    private static List<V1CustomResourceColumnDefinition> PrinterColumns(Type entityType) =>
        entityType.GetCustomAttributes<PrinterColumnAttribute>()
            .OrderBy(column => column.Order)
            .Select(column => new V1CustomResourceColumnDefinition
            {
                Name = column.Name,
                Type = column.Type,
                JsonPath = column.JsonPath,
                Description = column.Description,
                Priority = column.Priority == 0 ? null : column.Priority,
            })
            .ToList();

    private static List<T>? NullIfEmpty<T>(IEnumerable<T>? items) => items?.ToList() is { Count: > 0 } list ? list : null;
}
