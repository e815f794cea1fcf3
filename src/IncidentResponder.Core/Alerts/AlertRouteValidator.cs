using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Alerts;

/// <summary>
/// What the schema cannot check about a policy's alert routes: whether each regular expression compiles. CEL in the
/// API server has no way to ask that of a string, so the policy's Ready condition says it, naming the route.
/// </summary>
public static class AlertRouteValidator
{
    /// <summary>The first unusable matcher, as "spec.alerts.routes[i].matchers[j]: why"; null when every route is usable.</summary>
    public static string? Problem(AlertSettings? alerts)
    {
        var routes = alerts?.Routes ?? [];
        for (var i = 0; i < routes.Count; i++)
        {
            var matchers = routes[i].Matchers ?? [];
            for (var j = 0; j < matchers.Count; j++)
            {
                if (matchers[j].IsRegex == true && AlertRouteMatcher.RegexProblem(matchers[j].Value) is { } why)
                {
                    return $"spec.alerts.routes[{i}].matchers[{j}] (alert {routes[i].AlertName}): value \"{matchers[j].Value}\" is not a valid regular expression: {why}";
                }
            }
        }

        return null;
    }
}
