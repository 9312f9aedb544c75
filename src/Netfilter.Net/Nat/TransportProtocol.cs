using System;

namespace Netfilter.Net.Nat;

/// <summary>Which transport protocols a typed NAT rule applies to.</summary>
[Flags]
public enum TransportProtocol
{
    /// <summary>TCP (IPPROTO_TCP, 6).</summary>
    Tcp = 1,
    /// <summary>UDP (IPPROTO_UDP, 17).</summary>
    Udp = 2,
    /// <summary>TCP and UDP.</summary>
    Both = Tcp | Udp,
}

internal static class TransportProtocolExtensions
{
    /// <summary>The IPPROTO numbers, in a stable order (tcp first).</summary>
    public static byte[] Numbers(this TransportProtocol protocol) => protocol switch
    {
        TransportProtocol.Tcp => new byte[] { 6 },
        TransportProtocol.Udp => new byte[] { 17 },
        TransportProtocol.Both => new byte[] { 6, 17 },
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "tcp, udp or both"),
    };

    public static string Name(this TransportProtocol protocol) => protocol switch
    {
        TransportProtocol.Tcp => "tcp",
        TransportProtocol.Udp => "udp",
        TransportProtocol.Both => "both",
        _ => protocol.ToString(),
    };

    public static void Validate(TransportProtocol protocol, string parameter)
    {
        if (protocol is not (TransportProtocol.Tcp or TransportProtocol.Udp or TransportProtocol.Both))
        {
            throw new ArgumentException($"protocol must be tcp, udp or both, not {(int)protocol}", parameter);
        }
    }
}
