using System.Net;
using System.Text;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Autorest;

namespace IncidentResponder.Operator.Evidence;

/// <summary>
/// <c>kubectl logs --tail=N --limit-bytes=M [--previous]</c>: one container's last lines, or the API server's reason
/// there are none. The workload writes the log, so its size is the workload's choice: tailLines alone does not bound a
/// single line of a gigabyte, hence limitBytes on the request and the same bound on what is read from the stream
/// (an API server or proxy that ignores the parameter must not make the operator buffer the whole log).
/// </summary>
public sealed class PodLogReader(IKubernetes client)
{
    public async Task<RawLog> ReadAsync(string ns, string pod, string container, bool previous, int tailLines, int limitBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limitBytes);
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, previous: previous, tailLines: tailLines,
                limitBytes: limitBytes, cancellationToken: cancellationToken).ConfigureAwait(false);
            var bytes = await ReadAtMostAsync(stream, limitBytes, cancellationToken).ConfigureAwait(false);
            return new RawLog(pod, container, previous, Lines(bytes));
        }
        catch (HttpOperationException error) when (error.IsNotFound() || error.Response.StatusCode is HttpStatusCode.BadRequest)
        {
            // 400: no such instance (never restarted, still creating); 404: the pod is gone (rolled back, rescheduled).
            return new RawLog(pod, container, previous, [], Reason(error));
        }
    }

    private static async Task<ArraySegment<byte>> ReadAtMostAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[limit];
        var filled = 0;
        while (filled < limit)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled, limit - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return new ArraySegment<byte>(buffer, 0, filled);
    }

    // Like the kube-apiserver with limitBytes, a cut final line is kept as far as it was read: it is often the one
    // that matters, and the evidence builder cuts long lines anyway.
    private static List<string> Lines(ArraySegment<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static string Reason(HttpOperationException error)
    {
        var body = error.Response.Content;
        try
        {
            return KubernetesJson.Deserialize<k8s.Models.V1Status>(body)?.Message ?? error.Message;
        }
        catch (System.Text.Json.JsonException)
        {
            return string.IsNullOrWhiteSpace(body) ? error.Message : body;
        }
    }
}
