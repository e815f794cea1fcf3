using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Http;

/// <summary>The opaque <c>continue</c> token of a paged list: the list's resourceVersion, the last key served, and when it was issued.</summary>
internal sealed record ContinueToken(long ResourceVersion, string Namespace, string Name, long IssuedUnixSeconds)
{
    private const string ExpiredMessage = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    public string Encode()
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["ns"] = Namespace, ["start"] = Name, ["t"] = IssuedUnixSeconds }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static ContinueToken Decode(string token, TimeProvider time, TimeSpan lifetime, long compactedThrough)
    {
        ContinueToken parsed;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Convert.FromBase64String(base64))!;
            parsed = new ContinueToken(node["rv"]!.GetValue<long>(), node["ns"]!.GetValue<string>(), node["start"]!.GetValue<string>(), node["t"]!.GetValue<long>());
        }
        catch (Exception error) when (error is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest($"continue key is not valid: {error.Message}");
        }

        var age = time.GetUtcNow().ToUnixTimeSeconds() - parsed.IssuedUnixSeconds;
        if (age > lifetime.TotalSeconds || parsed.ResourceVersion < compactedThrough)
        {
            throw ApiErrors.Expired(ExpiredMessage);
        }

        return parsed;
    }
}
