using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentResponder.Crds;

/// <summary>Questions about CLR types the schema builder asks, answered the way k8s.KubernetesJson serializes them.</summary>
internal static class ClrTypes
{
    /// <summary>The JSON name of a property: [JsonPropertyName] if present, else camelCase as KubernetesJson writes it.</summary>
    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>The JSON strings of an enum's members, honouring [JsonStringEnumMemberName], in declaration order.</summary>
    public static IReadOnlyList<string> EnumValues(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(field => field.MetadataToken)
            .Select(field => field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name)
            .ToList();

    /// <summary>The serialized properties of a type: public, readable and writable instance properties.</summary>
    public static IEnumerable<PropertyInfo> SerializedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanRead && property.CanWrite && property.GetIndexParameters().Length == 0)
            .Where(property => property.GetCustomAttribute<JsonIgnoreAttribute>() is null);

    public static Type UnwrapNullable(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    /// <summary>The value type of a string-keyed dictionary, or null.</summary>
    public static Type? DictionaryValueType(Type type)
    {
        var dictionary = FindGeneric(type, typeof(IDictionary<,>));
        return dictionary is not null && dictionary.GetGenericArguments()[0] == typeof(string)
            ? dictionary.GetGenericArguments()[1]
            : null;
    }

    /// <summary>The element type of a list (any IEnumerable&lt;T&gt; other than string and dictionaries), or null.</summary>
    public static Type? ListElementType(Type type)
    {
        if (type == typeof(string) || DictionaryValueType(type) is not null)
        {
            return null;
        }

        return FindGeneric(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static Type? FindGeneric(Type type, Type openGeneric)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == openGeneric)
        {
            return type;
        }

        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == openGeneric);
    }
}
