using System.Net;
using System.Net.Sockets;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.NativeTests.Sockets;

/// <summary>Sockets made inside a test namespace, and one bounded TCP connection through them.</summary>
internal static class Connections
{
    /// <summary>Every wait on the network is bounded by this.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>A TCP listener created in <paramref name="ns"/> (a socket keeps the namespace it was made in).</summary>
    public static Socket Listen(TestNamespace ns, IPEndPoint endpoint, bool dualMode = false, bool transparent = false)
    {
        Socket listener = ns.Namespace.Run(() => new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                listener.DualMode = dualMode;
            }
            if (transparent)
            {
                TransparentSocket.Enable(listener);
            }
            listener.Bind(endpoint);
            listener.Listen();
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects from <paramref name="from"/> to <paramref name="target"/> and accepts on
    /// <paramref name="listener"/>; proves the path by sending a byte each way.
    /// </summary>
    public static async Task<(Socket Client, Socket Accepted)> ConnectAsync(TestNamespace from, IPEndPoint target, Socket listener)
    {
        using var cts = new CancellationTokenSource(Timeout);
        Socket client = from.Namespace.Run(() => new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            ValueTask<Socket> accept = listener.AcceptAsync(cts.Token);
            await client.ConnectAsync(target, cts.Token);
            Socket accepted = await accept;
            await client.SendAsync(new byte[] { 42 }, SocketFlags.None, cts.Token);
            byte[] one = new byte[1];
            (await accepted.ReceiveAsync(one, SocketFlags.None, cts.Token)).Should().Be(1);
            await accepted.SendAsync(new byte[] { (byte)(one[0] + 1) }, SocketFlags.None, cts.Token);
            (await client.ReceiveAsync(one, SocketFlags.None, cts.Token)).Should().Be(1);
            one[0].Should().Be(43, "the reply came back over the same connection");
            return (client, accepted);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
