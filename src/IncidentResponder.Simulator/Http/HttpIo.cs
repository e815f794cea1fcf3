using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Http;

/// <summary>Reading request bodies and writing JSON and Status responses the way kube-apiserver does.</summary>
internal static class HttpIo
{
    public const string Json = "application/json";

    public static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonNode body, WriteOptions? options = null)
    {
        await WriteBytesAsync(context, statusCode, ObjectSerializer.ToBytes(body), options).ConfigureAwait(false);
    }

    public static async Task WriteBytesAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> body, WriteOptions? options = null)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = Json;
        response.Headers["Cache-Control"] = "no-cache, private";
        if (options is not null && options.Warnings.Count > 0)
        {
            response.Headers["Warning"] = options.Warnings.Select(w => $"299 - {QuotedWarningText(w)}").ToArray();
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The quoted-string of a <c>Warning</c> header as kube-apiserver writes it (apimachinery's NewWarningHeader):
    /// backslash-escaped quotes and backslashes, which is what kubectl's header parser unescapes. A JSON escape such
    /// as <c>\u0022</c> would reach the user as "u0022". Characters outside printable ASCII become '?', because
    /// Kestrel refuses them in header values.
    /// </summary>
    private static string QuotedWarningText(string text)
    {
        var quoted = new System.Text.StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }

            quoted.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return quoted.Append('"').ToString();
    }

    public static Task WriteErrorAsync(HttpContext context, StoreException error)
    {
        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers["Retry-After"] = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteJsonAsync(context, error.Code, ApiErrors.ToStatus(error));
    }

    /// <summary>Reads the request body as a JSON object; 400 with the decoder's message when it is not one.</summary>
    public static async Task<JsonNode> ReadJsonAsync(HttpContext context, ResourceDefinition? definition)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        try
        {
            return JsonNode.Parse(buffer.ToArray()) ?? throw new JsonException("null body");
        }
        catch (JsonException error)
        {
            var what = definition is null ? "the request" : $"the {definition.Type.Kind}";
            throw ApiErrors.BadRequest($"{what} body could not be decoded: {error.Message}");
        }
    }

    /// <summary>The media type of the request body without parameters (the C# client adds <c>; charset=utf-8</c>).</summary>
    public static string MediaType(HttpRequest request) =>
        (request.ContentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();

    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public static bool QueryFlag(HttpContext context, string name) =>
        Query(context, name) is { } v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));
}
