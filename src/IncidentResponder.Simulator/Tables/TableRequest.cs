using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Tables;

/// <summary>A request for <c>as=Table</c> output (what <c>kubectl get</c> asks for) and its <c>includeObject</c> policy.</summary>
internal sealed record TableRequest(string IncludeObject)
{
    public static TableRequest? From(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (!accept.Contains("as=Table", StringComparison.Ordinal))
        {
            return null;
        }

        var include = context.Request.Query.TryGetValue("includeObject", out var v) && v.Count > 0 ? v[0]! : "Metadata";
        return new TableRequest(include);
    }
}
