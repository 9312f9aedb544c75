using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netfilter.Net.NativeTests.Infrastructure;

/// <summary>
/// Real connections between test namespaces. Sockets are created inside a namespace through
/// <see cref="NetworkNamespace.Run{T}"/> (a socket keeps its namespace), then used from any thread.
/// Servers answer every connection or datagram with one line naming themselves and what they saw:
/// <c>NAME local=ADDR:PORT remote=ADDR:PORT</c>. Every wait is bounded.
/// </summary>
public static class Traffic
{
    /// <summary>
    /// How long one request may take. Five seconds cover two TCP SYN retransmissions (1 s and 3 s
    /// after the first) and a second neighbour resolution after a first one gave up (three probes a
    /// second apart): at 3 s a single lost SYN or resolution under load failed a request that would
    /// have succeeded (LocalForwardTests' IPv6 case, once, with a build and a benchmark beside the
    /// suite). A request expected to fail is usually refused at once; in the whole native suite 22
    /// wait for the timeout.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>A TCP server in <paramref name="ns"/> on <paramref name="endpoint"/>, answering each connection with its banner line.</summary>
    public static Server StartTcp(TestNamespace ns, IPEndPoint endpoint, string name, bool transparent = false)
    {
        Socket listener = ns.Namespace.Run(() =>
        {
            var s = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                s.DualMode = false;
            }
            if (transparent)
            {
                // IP_TRANSPARENT (19) / IPV6_TRANSPARENT (75): accept connections for addresses that are not ours.
                s.SetRawSocketOption(endpoint.AddressFamily == AddressFamily.InterNetwork ? 0 : 41, endpoint.AddressFamily == AddressFamily.InterNetwork ? 19 : 75, BitConverter.GetBytes(1));
            }
            s.Bind(endpoint);
            s.Listen(64);
            return s;
        });
        return new Server(listener, name, udp: false);
    }

    /// <summary>A UDP server in <paramref name="ns"/> answering each datagram with its banner line.</summary>
    public static Server StartUdp(TestNamespace ns, IPEndPoint endpoint, string name)
    {
        Socket socket = ns.Namespace.Run(() =>
        {
            var s = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                s.DualMode = false;
            }
            s.Bind(endpoint);
            return s;
        });
        return new Server(socket, name, udp: true);
    }

    /// <summary>Connects from <paramref name="ns"/> to <paramref name="target"/> and returns the banner, or null when nothing answered in time.</summary>
    public static string? TcpRequest(TestNamespace ns, IPEndPoint target, IPEndPoint? bind = null)
    {
        using Socket socket = ns.Namespace.Run(() =>
        {
            var s = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (bind is not null) s.Bind(bind);
            return s;
        });
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            socket.ConnectAsync(target, cts.Token).AsTask().GetAwaiter().GetResult();
            var buffer = new byte[512];
            int total = 0;
            while (total < buffer.Length)
            {
                int n = socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, cts.Token).AsTask().GetAwaiter().GetResult();
                if (n == 0) break;
                total += n;
                if (Array.IndexOf(buffer, (byte)'\n', 0, total) >= 0) break;
            }
            return Encoding.ASCII.GetString(buffer, 0, total).Trim();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Sends one datagram from <paramref name="ns"/> and returns the reply, or null when none came in time.</summary>
    public static string? UdpRequest(TestNamespace ns, IPEndPoint target)
    {
        using Socket socket = ns.Namespace.Run(() => new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            socket.Connect(target);
            socket.Send(Encoding.ASCII.GetBytes("hello\n"));
            var buffer = new byte[512];
            int n = socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).AsTask().GetAwaiter().GetResult();
            return Encoding.ASCII.GetString(buffer, 0, n).Trim();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    public sealed class Server : IDisposable
    {
        private readonly Socket _socket;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        internal Server(Socket socket, string name, bool udp)
        {
            _socket = socket;
            Name = name;
            _loop = udp ? Task.Run(UdpLoopAsync) : Task.Run(TcpLoopAsync);
        }

        public string Name { get; }

        /// <summary>Each accepted connection: the socket (kept open until the server stops), so tests can inspect it.</summary>
        public List<Socket> Accepted { get; } = new();

        public Func<Socket, string>? Extra { get; set; }

        private async Task TcpLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _socket.AcceptAsync(_stop.Token);
                }
                catch
                {
                    return;
                }
                lock (Accepted) Accepted.Add(client);
                try
                {
                    string extra = Extra?.Invoke(client) ?? string.Empty;
                    string line = $"{Name} local={client.LocalEndPoint} remote={client.RemoteEndPoint}{extra}\n";
                    await client.SendAsync(Encoding.ASCII.GetBytes(line), SocketFlags.None);
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                }
            }
        }

        private async Task UdpLoopAsync()
        {
            var buffer = new byte[512];
            EndPoint any = _socket.AddressFamily == AddressFamily.InterNetwork ? new IPEndPoint(IPAddress.Any, 0) : new IPEndPoint(IPAddress.IPv6Any, 0);
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult r;
                try
                {
                    r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                }
                catch
                {
                    return;
                }
                string line = $"{Name} local={_socket.LocalEndPoint} remote={r.RemoteEndPoint}\n";
                try
                {
                    await _socket.SendToAsync(Encoding.ASCII.GetBytes(line), SocketFlags.None, r.RemoteEndPoint);
                }
                catch (SocketException)
                {
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
            try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch { }
            lock (Accepted)
            {
                foreach (Socket s in Accepted) s.Dispose();
            }
        }
    }
}
