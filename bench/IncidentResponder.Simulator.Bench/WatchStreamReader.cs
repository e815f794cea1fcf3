using System.Diagnostics;
using System.Text;

namespace IncidentResponder.Simulator.Bench;

/// <summary>
/// One HTTP watcher: reads the chunked stream and does the minimum a real client must, finding each newline-framed
/// event and checking its <c>type</c>, until it has seen the number of events it waits for.
/// </summary>
internal sealed class WatchStreamReader(HttpClient http, string path, int expectedEvents)
{
    private static readonly byte[] ModifiedPrefix = Encoding.UTF8.GetBytes("{\"type\":\"MODIFIED\"");

    public int Modified { get; private set; }

    public int Other { get; private set; }

    public long Bytes { get; private set; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when the expected number of events had arrived.</summary>
    public long DoneTimestamp { get; private set; }

    public async Task RunAsync(TaskCompletionSource connected, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        connected.TrySetResult();
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[64 * 1024];
        var prefix = new byte[ModifiedPrefix.Length];
        var prefixLength = 0;
        var atLineStart = true;
        while (Modified + Other < expectedEvents)
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0)
            {
                throw new InvalidOperationException($"watch stream ended after {Modified + Other} of {expectedEvents} events");
            }

            Bytes += read;
            var span = buffer.AsSpan(0, read);
            while (!span.IsEmpty)
            {
                if (atLineStart)
                {
                    // The type sits at the start of the frame; collect its bytes even when a read splits them.
                    var take = Math.Min(prefix.Length - prefixLength, span.Length);
                    span[..take].CopyTo(prefix.AsSpan(prefixLength));
                    prefixLength += take;
                    if (prefixLength == prefix.Length)
                    {
                        if (prefix.AsSpan().SequenceEqual(ModifiedPrefix))
                        {
                            Modified++;
                        }
                        else
                        {
                            Other++;
                        }

                        atLineStart = false;
                        prefixLength = 0;
                    }
                }

                var newline = span.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                atLineStart = true;
                span = span[(newline + 1)..];
            }
        }

        DoneTimestamp = Stopwatch.GetTimestamp();
    }
}
