using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Tables;

/// <summary>A Table column: its definition (name, type, format, priority) and how a cell is computed from an object.</summary>
internal sealed record Column(string Name, string Type, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell, string Format = "", string Description = "")
{
    public JsonObject Definition() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}
