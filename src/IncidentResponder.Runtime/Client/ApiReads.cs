using System.Net;
using k8s.Autorest;

namespace IncidentResponder.Runtime.Client;

/// <summary>
/// Reads from the API server where "not found" is an answer, not an error (controller-runtime's
/// <c>client.IgnoreNotFound</c>): the object may be gone, or not made yet, and the caller decides what that means.
/// </summary>
public static class ApiReads
{
    /// <summary>The object, or null (default) when the API server answers 404. Every other failure propagates.</summary>
    public static async Task<T?> GetOrNullAsync<T>(Func<Task<T>> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        try
        {
            return await get().ConfigureAwait(false);
        }
        catch (HttpOperationException error) when (error.IsNotFound())
        {
            return default;
        }
    }

    /// <summary>The API server answered 404: the object (or its namespace) does not exist.</summary>
    public static bool IsNotFound(this HttpOperationException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Response?.StatusCode == HttpStatusCode.NotFound;
    }
}
