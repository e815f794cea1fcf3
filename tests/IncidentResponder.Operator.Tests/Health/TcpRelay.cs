using System.Net;
using System.Net.Sockets;

namespace IncidentResponder.Operator.Tests.Health;

/// <summary>
/// A loopback TCP relay in front of the simulated API server: cutting it is the API server becoming unreachable for
/// the operator (a partition, a control-plane outage) while the cluster itself stays up for the test to clean up.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _cut = new();
    private readonly Uri _target;
    private readonly Task _accepting;

    public TcpRelay(Uri target)
    {
        _target = target;
        _listener.Start();
        Address = new UriBuilder(target) { Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri;
        _accepting = AcceptAsync();
    }

    /// <summary>The target's address with the relay's port.</summary>
    public Uri Address { get; }

    /// <summary>Closes every relayed connection and refuses new ones.</summary>
    public async Task CutAsync()
    {
        await _cut.CancelAsync();
        _listener.Stop();
        await _accepting;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_cut.IsCancellationRequested)
        {
            await CutAsync();
        }

        _cut.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_cut.Token);
                connections.Add(RelayAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cut.
        }

        await Task.WhenAll(connections);
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_target.Host, _target.Port, _cut.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), _cut.Token);
                var down = server.GetStream().CopyToAsync(client.GetStream(), _cut.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // Cut, or one side closed.
            }
        }
    }
}
