using System.Text.Json.Nodes;
using IncidentResponder.Api.Tests.Support;
using IncidentResponder.Api.V1Alpha1;
using k8s;

namespace IncidentResponder.Api.Tests;

/// <summary>
/// The schema names fields exactly as k8s.KubernetesJson serializes the C# types: a resource read into the C# types
/// and written back loses nothing, gains nothing the schema does not know, and still validates.
/// </summary>
public sealed class SerializationRoundTripTests
{
    public static TheoryData<string> Fixtures => ValidDocumentTests.Fixtures;

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_survives_a_round_trip_through_the_csharp_types(string fileName)
    {
        var original = YamlJson.Document(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName)));
        var json = original.ToJsonString();

        var roundTripped = JsonNode.Parse(original["kind"]!.GetValue<string>() switch
        {
            Incident.KindName => KubernetesJson.Serialize(KubernetesJson.Deserialize<Incident>(json)),
            Runbook.KindName => KubernetesJson.Serialize(KubernetesJson.Deserialize<Runbook>(json)),
            RemediationPolicy.KindName => KubernetesJson.Serialize(KubernetesJson.Deserialize<RemediationPolicy>(json)),
            var kind => throw new InvalidOperationException(kind),
        })!.AsObject();

        var admitted = GeneratedSchemas.Admit(roundTripped);
        Assert.True(admitted.IsValid, string.Join("\n", admitted.Errors));
        Assert.True(admitted.PrunedFields.Count == 0, $"the C# types write fields the schema does not know: {string.Join(", ", admitted.PrunedFields)}");

        // Everything the person wrote in spec and status is still there, under the same names and values.
        foreach (var part in new[] { "spec", "status" })
        {
            if (original[part] is JsonObject written)
            {
                AssertContains(written, roundTripped[part], part);
            }
        }
    }

    private static void AssertContains(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    AssertContains(value, actual?[name], $"{path}.{name}");
                }

                break;
            case JsonArray array:
                var actualArray = Assert.IsType<JsonArray>(actual);
                Assert.Equal(array.Count, actualArray.Count);
                for (var i = 0; i < array.Count; i++)
                {
                    AssertContains(array[i], actualArray[i], $"{path}[{i}]");
                }

                break;
            case JsonValue value:
                Assert.True(actual is JsonValue, $"{path} was lost in the round trip");
                Assert.True(
                    value.ToJsonString() == actual!.ToJsonString() || (double.TryParse(value.ToJsonString(), out var a) && double.TryParse(actual.ToJsonString(), out var b) && a == b)
                    || DateTimeOffset.TryParse(value.GetValue<object>().ToString(), out var t1) && DateTimeOffset.TryParse(actual.GetValue<object>().ToString(), out var t2) && t1 == t2,
                    $"{path}: wrote {value.ToJsonString()}, read back {actual.ToJsonString()}");
                break;
        }
    }
}
