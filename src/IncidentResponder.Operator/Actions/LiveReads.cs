using System.Net;
using k8s.Autorest;

namespace IncidentResponder.Operator.Actions;

/// <summary>How the API server answers an action's conditional write (reads that may find nothing: <c>ApiReads</c>).</summary>
internal static class LiveReads
{
    /// <summary>A JSON patch "test" op failed: the value changed since the decision (the API server answers 422).</summary>
    public static bool IsFailedTest(HttpOperationException error) =>
        error.Response.StatusCode == HttpStatusCode.UnprocessableEntity
        && error.Response.Content?.Contains("test", StringComparison.OrdinalIgnoreCase) == true;
}
