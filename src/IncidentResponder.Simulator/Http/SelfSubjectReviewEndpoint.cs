using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Http;

/// <summary>
/// <c>POST /apis/authentication.k8s.io/v1/selfsubjectreviews</c>, as <c>kubectl auth whoami</c> sends it: the caller's
/// user as the bearer token makes it (<see cref="SimulatorOptions.Users"/>), else <see cref="SimulatorOptions.DefaultUser"/>
/// (the simulator accepts any token, as a cluster whose admin kubeconfig everyone shares). Nothing is stored: a review
/// is a question answered once, as on a real API server.
/// </summary>
internal static class SelfSubjectReviewEndpoint
{
    public const string Group = "authentication.k8s.io";
    public const string Version = "v1";
    public const string Resource = "selfsubjectreviews";
    public const string Kind = "SelfSubjectReview";

    private static readonly string[] AuthenticatedGroups = ["system:authenticated"];

    public static async Task HandleAsync(HttpContext context, string? listedUser, SimulatorOptions options)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw ApiErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var username = listedUser ?? options.DefaultUser;
        var groups = listedUser is null ? options.DefaultUserGroups.Concat(AuthenticatedGroups).Distinct() : AuthenticatedGroups;
        var review = new JsonObject
        {
            ["kind"] = Kind,
            ["apiVersion"] = $"{Group}/{Version}",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["status"] = new JsonObject
            {
                ["userInfo"] = new JsonObject
                {
                    ["username"] = username,
                    ["groups"] = new JsonArray([.. groups.Select(g => (JsonNode)JsonValue.Create(g))]),
                },
            },
        };
        await HttpIo.WriteJsonAsync(context, 201, review).ConfigureAwait(false);
    }

    /// <summary>The discovery entry: listed so clients that check discovery first find the resource.</summary>
    public static JsonObject DiscoveryEntry() => new()
    {
        ["name"] = Resource,
        ["singularName"] = "selfsubjectreview",
        ["namespaced"] = false,
        ["kind"] = Kind,
        ["verbs"] = new JsonArray("create"),
    };
}
