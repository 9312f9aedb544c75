using System.Net;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>Synthetic entries for tests that need many (created through the library, in a test namespace).</summary>
internal static class Entries
{
    /// <summary>Entry <paramref name="i"/>: tcp 10.(i/65536%256).(i/256%256).(i%256):(1024 + i % 60000) -> 10.255.0.1:80, distinct for every i below 16 million.</summary>
    public static ConntrackEntry Tcp(int i, uint mark = 0, ushort dport = 80, TimeSpan? timeout = null) =>
        new(ConntrackTuple.Tcp(Client(i), (ushort)(1024 + i % 60000), IPAddress.Parse("10.255.0.1"), dport))
        {
            ProtocolInfo = new TcpConntrackInfo { State = TcpConntrackState.Established },
            Status = ConntrackStatus.SeenReply,
            Timeout = timeout ?? TimeSpan.FromMinutes(10),
            Mark = mark,
        };

    public static ConntrackEntry Udp(int i, uint mark = 0, ushort dport = 53, TimeSpan? timeout = null) =>
        new(ConntrackTuple.Udp(Client(i), (ushort)(1024 + i % 60000), IPAddress.Parse("10.255.0.2"), dport))
        {
            Timeout = timeout ?? TimeSpan.FromMinutes(10),
            Mark = mark,
        };

    public static IPAddress Client(int i) => new(new byte[] { 10, (byte)(i >> 16), (byte)(i >> 8), (byte)i });
}
