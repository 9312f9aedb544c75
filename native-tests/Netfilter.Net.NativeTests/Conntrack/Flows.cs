using System.Net;
using System.Net.Sockets;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>
/// Real traffic for conntrack tests: sockets created inside a namespace (a socket keeps the
/// namespace it was created in), every wait bounded.
/// </summary>
internal static class Flows
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static Socket Open(TestNamespace ns, AddressFamily family, SocketType type, ProtocolType protocol) =>
        ns.Namespace.Run(() => new Socket(family, type, protocol));

    /// <summary>A listening TCP socket in <paramref name="ns"/>.</summary>
    public static Socket Listen(TestNamespace ns, IPEndPoint at)
    {
        Socket s = Open(ns, at.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        s.Bind(at);
        s.Listen(16);
        return s;
    }

    /// <summary>
    /// Opens a TCP connection from <paramref name="client"/> (bound to <paramref name="from"/>)
    /// to <paramref name="to"/>, accepted on <paramref name="listener"/>; exchanges one message
    /// each way so the entry is ESTABLISHED and ASSURED. Returns both ends (dispose to close).
    /// </summary>
    public static async Task<(Socket Client, Socket Server)> ConnectTcpAsync(TestNamespace client, IPEndPoint from, IPEndPoint to, Socket listener)
    {
        using var timeout = new CancellationTokenSource(Wait);
        Socket c = Open(client, to.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        c.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        c.Bind(from);
        Task<Socket> accept = listener.AcceptAsync(timeout.Token).AsTask();
        await c.ConnectAsync(to, timeout.Token);
        Socket s = await accept;
        await c.SendAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, timeout.Token);
        await ReceiveExactlyAsync(s, 3, timeout.Token);
        await s.SendAsync(new byte[] { 4, 5 }, SocketFlags.None, timeout.Token);
        await ReceiveExactlyAsync(c, 2, timeout.Token);
        return (c, s);
    }

    /// <summary>One UDP request and its answer: from <paramref name="from"/> in <paramref name="client"/> to <paramref name="to"/>, answered by <paramref name="server"/>.</summary>
    public static async Task UdpExchangeAsync(TestNamespace client, IPEndPoint from, IPEndPoint to, Socket server)
    {
        using var timeout = new CancellationTokenSource(Wait);
        using Socket c = Open(client, to.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        c.Bind(from);
        await c.SendToAsync(new byte[] { 42 }, SocketFlags.None, to, timeout.Token);
        var buffer = new byte[16];
        SocketReceiveFromResult got = await server.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(to.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), timeout.Token);
        await server.SendToAsync(new byte[] { 43 }, SocketFlags.None, got.RemoteEndPoint, timeout.Token);
        await c.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
    }

    public static Socket BindUdp(TestNamespace ns, IPEndPoint at)
    {
        Socket s = Open(ns, at.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(at);
        return s;
    }

    private static async Task ReceiveExactlyAsync(Socket s, int count, CancellationToken token)
    {
        var buffer = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None, token);
            if (n == 0)
            {
                throw new InvalidOperationException("connection closed early");
            }
            got += n;
        }
    }

    public static IPEndPoint EndPoint(string address, int port) => new(IPAddress.Parse(address), port);
}
