using System;
using System.Net;
using System.Net.Sockets;

namespace Netfilter.Net.Routing;

/// <summary>Address/prefix helpers shared by the rule and route codecs.</summary>
internal static class Prefix
{
    /// <summary>The address length of an AF_INET/AF_INET6 family: 4 or 16.</summary>
    public static int AddressLength(NetfilterFamily family, string context) => family switch
    {
        NetfilterFamily.IPv4 => 4,
        NetfilterFamily.IPv6 => 16,
        _ => throw new NetlinkProtocolException(context, "family AF_INET (2) or AF_INET6 (10)", $"{(byte)family}"),
    };

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="family"/> is IPv4 or IPv6 (for what the caller asks to encode).</summary>
    public static int AddressLengthOrThrow(NetfilterFamily family, string parameterName) => family switch
    {
        NetfilterFamily.IPv4 => 4,
        NetfilterFamily.IPv6 => 16,
        _ => throw new ArgumentException($"routes and rules exist for IPv4 and IPv6, not {family}", parameterName),
    };

    /// <summary>The all-zero network of a family: 0.0.0.0/0 or ::/0.</summary>
    public static IPNetwork Default(NetfilterFamily family) =>
        new(family == NetfilterFamily.IPv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

    /// <summary>
    /// A network from an address and a prefix length as the kernel sent them. Host bits are
    /// cleared, because IPNetwork refuses them and a rule's address may carry some.
    /// </summary>
    public static IPNetwork Create(ReadOnlySpan<byte> address, int length, string context)
    {
        int bits = address.Length * 8;
        if (length > bits)
        {
            throw new NetlinkProtocolException(context, $"a prefix length of at most {bits}", $"{length}");
        }
        Span<byte> masked = stackalloc byte[address.Length];
        address.CopyTo(masked);
        for (int i = 0; i < masked.Length; i++)
        {
            int keep = Math.Clamp(length - i * 8, 0, 8);
            masked[i] &= (byte)(0xff << (8 - keep));
        }
        return new IPNetwork(new IPAddress(masked), length);
    }

    /// <summary>The family that an address belongs to.</summary>
    public static NetfilterFamily FamilyOf(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4;
}
