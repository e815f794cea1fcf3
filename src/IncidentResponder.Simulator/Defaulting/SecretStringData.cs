using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Defaulting;

/// <summary>
/// A Secret's <c>stringData</c> is write-only, as on a real API server (the v1 → internal conversion): each key is
/// stored base64-encoded in <c>data</c>, overwriting a key of the same name there, and <c>stringData</c> itself is never
/// stored or returned.
/// </summary>
internal sealed class SecretStringData : IAdmissionStep
{
    public void Admit(AdmissionContext context, JsonObject obj, JsonObject? old)
    {
        var type = context.Definition.Type;
        if (context.Subresource is not null || type.Group.Length != 0 || type.Kind != "Secret" || obj["stringData"] is not JsonObject strings)
        {
            return;
        }

        if (obj["data"] is not JsonObject data)
        {
            data = new JsonObject();
            obj["data"] = data;
        }

        foreach (var (key, value) in strings)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? string.Empty));
        }

        obj.Remove("stringData");
    }
}
