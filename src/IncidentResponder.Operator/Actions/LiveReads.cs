using System.Net;
using k8s.Autorest;

namespace IncidentResponder.Operator.Actions;

/// <summary>Reads the object an action is about to change, live: gone is an answer (null), not an error.</summary>
internal static class LiveReads
{
    public static async Task<T?> OrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A JSON patch "test" op failed: the value changed since the decision (the API server answers 422).</summary>
    public static bool IsFailedTest(HttpOperationException error) =>
        error.Response.StatusCode == HttpStatusCode.UnprocessableEntity
        && error.Response.Content?.Contains("test", StringComparison.OrdinalIgnoreCase) == true;
}
