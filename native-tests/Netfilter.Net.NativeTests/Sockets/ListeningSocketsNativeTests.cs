using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.NativeTests.Sockets;

/// <summary>Listening sockets over NETLINK_SOCK_DIAG against <c>ss -ltnH</c> / <c>ss -lunH</c> in the same namespace.</summary>
public sealed class ListeningSocketsNativeTests : IDisposable
{
    private readonly TestNamespace _ns = new("listen");
    private readonly List<Socket> _sockets = new();

    public void Dispose()
    {
        foreach (Socket s in _sockets)
        {
            s.Dispose();
        }
        _ns.Dispose();
    }

    private Socket Make(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        Socket socket = _ns.Namespace.Run(() => new Socket(family, type, protocol));
        _sockets.Add(socket);
        return socket;
    }

    private void Tcp(string address, int port, bool dualMode = false)
    {
        IPAddress ip = IPAddress.Parse(address);
        Socket s = Make(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            s.DualMode = dualMode;
        }
        s.Bind(new IPEndPoint(ip, port));
        s.Listen();
    }

    private void Udp(string address, int port, bool dualMode = false)
    {
        IPAddress ip = IPAddress.Parse(address);
        Socket s = Make(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            s.DualMode = dualMode;
        }
        s.Bind(new IPEndPoint(ip, port));
    }

    private void Listeners()
    {
        Tcp("0.0.0.0", 8080);
        Tcp("127.0.0.1", 9000);
        Tcp("::", 8443);
        Tcp("::", 8444, dualMode: true);
        Tcp("::1", 9443);
        Udp("0.0.0.0", 5353);
        Udp("::1", 53);
        Udp("::", 5354, dualMode: true);
        // Not listening: a connected TCP pair and a connected UDP socket.
        Socket client = Make(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(new IPEndPoint(IPAddress.Loopback, 9000));
        Socket connectedUdp = Make(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        connectedUdp.Connect(new IPEndPoint(IPAddress.Loopback, 5353));
    }

    /// <summary>ss's local-address column ("0.0.0.0:8080", "[::1]:53", "*:8444") with the inode from -e.</summary>
    private Dictionary<string, ulong> Ss(string flags)
    {
        var result = new Dictionary<string, ulong>();
        foreach (string line in _ns.Check("ss", flags + "He").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] columns = Regex.Split(line.Trim(), @"\s+");
            result.Add(columns[3], ulong.Parse(Regex.Match(line, @"ino:(\d+)").Groups[1].Value));
        }
        return result;
    }

    private static string Column(ListeningSocket s) => s.IsDualStack ? $"*:{s.LocalEndPoint.Port}" : s.LocalEndPoint.ToString();

    [NativeFact]
    public async Task The_listing_equals_ss_for_tcp_and_udp_with_inodes()
    {
        Listeners();
        IReadOnlyList<ListeningSocket> all = await ListeningSockets.ListAsync(_ns.Namespace);
        all.Where(s => s.Protocol == ProtocolType.Tcp).ToDictionary(Column, s => s.Inode).Should().Equal(Ss("-ltn"));
        all.Where(s => s.Protocol == ProtocolType.Udp).ToDictionary(Column, s => s.Inode).Should().Equal(Ss("-lun"));
        all.Should().HaveCount(8, "the connected sockets are not listening");
        all.Should().OnlyContain(s => s.UserId == 0 && s.Cookie != 0 && s.InterfaceIndex == 0);

        (await ListeningSockets.ListAsync(ProtocolType.Udp, _ns.Namespace)).Select(s => s.ToString())
            .Should().BeEquivalentTo("udp 0.0.0.0:5353", "udp [::1]:53", "udp *:5354");
    }

    [NativeFact]
    public async Task IsListening_answers_per_protocol_port_and_address()
    {
        Listeners();
        NetworkNamespace ns = _ns.Namespace;
        (await ListeningSockets.IsListeningAsync(ProtocolType.Tcp, 8080, networkNamespace: ns)).Should().BeTrue();
        (await ListeningSockets.IsListeningAsync(ProtocolType.Tcp, 8081, networkNamespace: ns)).Should().BeFalse();
        (await ListeningSockets.IsListeningAsync(ProtocolType.Udp, 8080, networkNamespace: ns)).Should().BeFalse("8080 is TCP only");
        (await ListeningSockets.IsListeningAsync(ProtocolType.Tcp, 9000, IPAddress.Loopback, ns)).Should().BeTrue();
        (await ListeningSockets.IsListeningAsync(ProtocolType.Tcp, 9000, IPAddress.Parse("10.9.9.9"), ns)).Should().BeFalse("bound to 127.0.0.1 only");
        (await ListeningSockets.IsListeningAsync(ProtocolType.Tcp, 8444, IPAddress.Parse("10.9.9.9"), ns)).Should().BeTrue("a dual-stack socket takes IPv4");
        (await ListeningSockets.IsListeningAsync(ProtocolType.Tcp, 8443, IPAddress.Parse("10.9.9.9"), ns)).Should().BeFalse("IPV6_V6ONLY takes no IPv4");
        (await ListeningSockets.IsListeningAsync(ProtocolType.Tcp, 8443, IPAddress.Parse("fd00::9"), ns)).Should().BeTrue();
        (await ListeningSockets.IsListeningAsync(ProtocolType.Udp, 53, IPAddress.IPv6Loopback, ns)).Should().BeTrue();
        (await ListeningSockets.IsListeningAsync(ProtocolType.Udp, 5354, IPAddress.Loopback, ns)).Should().BeTrue();

        IReadOnlyList<ListeningSocket> taken = await ListeningSockets.FindAsync(ProtocolType.Tcp, 8080, IPAddress.Parse("10.0.0.1"), ns);
        taken.Should().ContainSingle().Which.Inode.Should().Be(Ss("-ltn")["0.0.0.0:8080"]);
    }

    [NativeFact]
    public async Task A_namespace_is_its_own_world()
    {
        Listeners();
        using var other = new TestNamespace("empty");
        (await ListeningSockets.ListAsync(other.Namespace)).Should().BeEmpty();
        other.Check("ss", "-ltunH").Trim().Should().BeEmpty();
    }

    [NativeFact]
    public void Bad_questions_are_refused_before_anything_is_sent()
    {
        Func<Task> icmp = () => ListeningSockets.IsListeningAsync(ProtocolType.Icmp, 80);
        icmp.Should().ThrowAsync<ArgumentOutOfRangeException>().Result.Which.ParamName.Should().Be("protocol");
        Func<Task> port = () => ListeningSockets.FindAsync(ProtocolType.Tcp, 0);
        port.Should().ThrowAsync<ArgumentOutOfRangeException>().Result.Which.ParamName.Should().Be("port");
        Func<Task> big = () => ListeningSockets.FindAsync(ProtocolType.Tcp, 65536);
        big.Should().ThrowAsync<ArgumentOutOfRangeException>().Result.Which.ParamName.Should().Be("port");
    }
}
