using System.Collections;
using System.Reflection;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using k8s;

namespace IncidentResponder.Core.Tests.Incidents;

/// <summary>
/// The status copy is field by field, so a field added to the API and forgotten here would be erased by every
/// decision write (as status.notifications once was). Every property of the status, at every depth, is filled in and
/// must survive the copy.
/// </summary>
public sealed class IncidentStatusCopyCompletenessTests
{
    [Fact]
    public void Every_field_of_the_status_survives_the_copy()
    {
        var status = (IncidentStatus)Filled(typeof(IncidentStatus), depth: 0);

        var copy = IncidentStatusCopy.Clone(status);

        Assert.Equal(KubernetesJson.Serialize(status), KubernetesJson.Serialize(copy));
        Assert.NotSame(status.Actions, copy.Actions);
        Assert.NotSame(status.Actions![0].Details, copy.Actions![0].Details);
        Assert.NotSame(status.Notifications, copy.Notifications);
    }

    /// <summary>A value of <paramref name="type"/> with every settable property set to something other than its default.</summary>
    private static object Filled(Type type, int depth)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
        {
            return Filled(nullable, depth);
        }

        if (type == typeof(string))
        {
            return "x" + depth;
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(double))
        {
            return Convert.ChangeType(7, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == typeof(DateTime))
        {
            return new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1)!;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(type)!;
            list.Add(Filled(type.GetGenericArguments()[0], depth + 1));
            return list;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var dictionary = (IDictionary)Activator.CreateInstance(type)!;
            dictionary.Add(Filled(type.GetGenericArguments()[0], depth + 1), Filled(type.GetGenericArguments()[1], depth + 1));
            return dictionary;
        }

        Assert.True(depth < 6, $"{type} nests deeper than the status is expected to");
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            property.SetValue(instance, Filled(property.PropertyType, depth + 1));
        }

        return instance;
    }
}
