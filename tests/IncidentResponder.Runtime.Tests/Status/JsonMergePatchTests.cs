using System.Text.Json.Nodes;
using IncidentResponder.Runtime.Status;

namespace IncidentResponder.Runtime.Tests.Status;

public sealed class JsonMergePatchTests
{
    [Theory]
    [InlineData("""{"a":1,"b":{"c":2}}""", """{"a":1,"b":{"c":2}}""", null)]
    [InlineData("""{"a":1}""", """{"a":2}""", """{"a":2}""")]
    [InlineData("""{"a":1,"b":2}""", """{"a":1}""", """{"b":null}""")]
    [InlineData("""{"a":{"x":1,"y":2}}""", """{"a":{"x":1,"y":3,"z":4}}""", """{"a":{"y":3,"z":4}}""")]
    [InlineData("""{"l":[1,2]}""", """{"l":[1,2,3]}""", """{"l":[1,2,3]}""")]
    [InlineData("""{"a":1}""", """{"a":null}""", """{"a":null}""")]
    public void Creates_the_minimal_merge_patch(string original, string modified, string? expected)
    {
        var patch = JsonMergePatch.Create(JsonNode.Parse(original), JsonNode.Parse(modified));

        Assert.Equal(expected, patch?.ToJsonString());
    }
}
