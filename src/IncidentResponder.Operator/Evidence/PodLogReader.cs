using System.Net;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Autorest;

namespace IncidentResponder.Operator.Evidence;

/// <summary><c>kubectl logs --tail=N [--previous]</c>: one container's last lines, or the API server's reason there are none.</summary>
public sealed class PodLogReader(IKubernetes client)
{
    public async Task<RawLog> ReadAsync(string ns, string pod, string container, bool previous, int tailLines, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, previous: previous, tailLines: tailLines,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            var lines = new List<string>();
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                lines.Add(line);
            }

            return new RawLog(pod, container, previous, lines);
        }
        catch (HttpOperationException error) when (error.IsNotFound() || error.Response.StatusCode is HttpStatusCode.BadRequest)
        {
            // 400: no such instance (never restarted, still creating); 404: the pod is gone (rolled back, rescheduled).
            return new RawLog(pod, container, previous, [], Reason(error));
        }
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
