using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Tests.Support;

/// <summary>
/// Compares two JSON trees and lists every difference with its path (<c>spec.containers[0].image</c>), so a failing
/// round-trip says exactly which field the server lost, added or changed. Numbers compare by value.
/// </summary>
internal static class JsonTreeDiff
{
    public static IReadOnlyList<string> Differences(JsonNode? expected, JsonNode? actual)
    {
        var differences = new List<string>();
        Compare(expected, actual, "$", differences);
        return differences;
    }

    /// <summary>Fails with one line per difference when the trees differ.</summary>
    public static void AssertSame(JsonNode? expected, JsonNode? actual, string what)
    {
        var differences = Differences(expected, actual);
        Assert.True(differences.Count == 0, $"{what}: {differences.Count} difference(s) (expected vs actual):\n  " + string.Join("\n  ", differences));
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    if (!a.TryGetPropertyValue(key, out var other))
                    {
                        differences.Add($"{path}.{key}: missing (expected {Show(value)})");
                        continue;
                    }

                    Compare(value, other, $"{path}.{key}", differences);
                }

                foreach (var (key, value) in a)
                {
                    if (!e.ContainsKey(key))
                    {
                        differences.Add($"{path}.{key}: unexpected {Show(value)}");
                    }
                }

                break;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    if (i >= a.Count)
                    {
                        differences.Add($"{path}[{i}]: missing (expected {Show(e[i])})");
                    }
                    else if (i >= e.Count)
                    {
                        differences.Add($"{path}[{i}]: unexpected {Show(a[i])}");
                    }
                    else
                    {
                        Compare(e[i], a[i], $"{path}[{i}]", differences);
                    }
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
                }

                break;
        }
    }

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length <= 120 ? text : text[..117] + "...";
    }
}
