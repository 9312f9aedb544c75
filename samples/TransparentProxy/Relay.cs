using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net;
using Netfilter.Net.Sockets;

namespace TransparentProxy;

/// <summary>
/// One redirected connection: asks conntrack where the client was really going
/// (<see cref="OriginalDestination"/>, SO_ORIGINAL_DST), connects there from inside the
/// namespace, and copies bytes both ways until both sides are done.
/// </summary>
internal static class Relay
{
    public static async Task RunAsync(Socket client, NetworkNamespace ns, int listenPort, CancellationToken cancellationToken)
    {
        using (client)
        {
            var from = (IPEndPoint)client.RemoteEndPoint!;
            if (!OriginalDestination.TryGet(client, out IPEndPoint? destination))
            {
                Log($"{Show(from)} was not redirected (conntrack has no entry): closing");
                return;
            }
            if (destination.Port == listenPort && IsLocal(client, destination))
            {
                // A client that connected to the proxy port itself: relaying would loop.
                Log($"{Show(from)} connected to the proxy directly ({Show(destination)}): closing");
                return;
            }
            Log($"{Show(from)} wanted {Show(destination)}, relaying");
            // The upstream socket is created in the namespace, so it routes like the router does.
            using Socket upstream = ns.Run(() => new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
                await upstream.ConnectAsync(destination, connectTimeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                Log($"{Show(from)} -> {Show(destination)}: cannot connect ({e.Message})");
                return;
            }
            Task<long> up = CopyAsync(client, upstream, cancellationToken);
            Task<long> down = CopyAsync(upstream, client, cancellationToken);
            await Task.WhenAll(up, down);
            Log($"{Show(from)} -> {Show(destination)} closed: {up.Result} bytes sent, {down.Result} received");
        }
    }

    /// <summary>Copies until the source ends, then half-closes the destination so the other direction can finish.</summary>
    private static async Task<long> CopyAsync(Socket source, Socket destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        try
        {
            while (true)
            {
                int n = await source.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (n == 0)
                {
                    break;
                }
                await destination.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellationToken);
                total += n;
            }
            destination.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset or shutdown on either side ends this direction.
        }
        return total;
    }

    private static bool IsLocal(Socket client, IPEndPoint destination)
    {
        IPAddress local = ((IPEndPoint)client.LocalEndPoint!).Address;
        IPAddress target = destination.Address;
        if (local.IsIPv4MappedToIPv6) local = local.MapToIPv4();
        return local.Equals(target) || IPAddress.IsLoopback(target);
    }

    private static string Show(IPEndPoint endpoint) =>
        endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port).ToString() : endpoint.ToString();

    public static void Log(string message) => Console.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");
}
