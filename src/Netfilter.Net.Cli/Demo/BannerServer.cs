using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Cli.Demo;

/// <summary>
/// A tiny TCP server whose listening socket is created inside a namespace
/// (<see cref="NetworkNamespace.Run{T}"/>: a socket keeps the namespace it was made in). It
/// answers each connection with one line saying who it is and who it saw, which shows what
/// NAT did.
/// </summary>
internal sealed class BannerServer : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private BannerServer(Socket listener, string name)
    {
        _listener = listener;
        Name = name;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Name { get; }

    public static BannerServer Start(NetworkNamespace ns, IPEndPoint endpoint, string name)
    {
        Socket listener = ns.Run(() =>
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(endpoint);
                socket.Listen(16);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });
        return new BannerServer(listener, name);
    }

    /// <summary>Connects from <paramref name="ns"/> to <paramref name="target"/> and returns the server's line, or null after 3 s without one.</summary>
    public static async Task<string?> RequestAsync(NetworkNamespace ns, IPEndPoint target, CancellationToken cancellationToken)
    {
        using Socket socket = ns.Run(() => new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            int total = 0;
            while (total < buffer.Length)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (n == 0 || Array.IndexOf(buffer, (byte)'\n', total, n) >= 0)
                {
                    total += n;
                    break;
                }
                total += n;
            }
            return Encoding.ASCII.GetString(buffer, 0, total).Trim();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            using (client)
            {
                try
                {
                    string line = $"{Name} on {client.LocalEndPoint} saw the client as {client.RemoteEndPoint}\n";
                    await client.SendAsync(Encoding.ASCII.GetBytes(line), SocketFlags.None).ConfigureAwait(false);
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                }
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
    }
}
