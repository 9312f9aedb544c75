using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Nat;

/// <summary>
/// The expression building blocks the NAT compiler uses, in one place: each method returns the
/// expressions nft itself would generate for the same statement (checked against
/// <c>nft --debug=netlink</c> in the native tests).
/// </summary>
internal static class NatExpressions
{
    // uapi linux/rtnetlink.h RTN_LOCAL: fib's "type local".
    private const uint RtnLocal = 2;
    // uapi nf_conntrack_common.h IPS_DST_NAT.
    private const uint IpsDstNat = 1 << 5;
    private const byte NfprotoIPv4 = 2;
    private const byte NfprotoIPv6 = 10;

    /// <summary><c>fib daddr type local</c>: the packet is addressed to one of this host's addresses.</summary>
    public static IEnumerable<NftExpression> DestinationIsLocal()
    {
        // nft: [ fib daddr type => reg 1 ] [ cmp eq reg 1 0x00000002 ]
        yield return Raw("fib", w =>
        {
            w.WriteUInt32BigEndian(1, Register.R1.Raw); // NFTA_FIB_DREG
            w.WriteUInt32BigEndian(2, 3);               // NFTA_FIB_RESULT = NFT_FIB_RESULT_ADDRTYPE
            w.WriteUInt32BigEndian(3, 1 << 1);          // NFTA_FIB_FLAGS = NFTA_FIB_F_DADDR
        });
        yield return new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromHostUInt32(RtnLocal));
    }

    /// <summary><c>ct status dnat</c>: the connection's destination was translated.</summary>
    public static IEnumerable<NftExpression> ConnectionWasDnated()
    {
        // nft: [ ct load status => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x00000020 ) ^ 0x00000000 ] [ cmp neq reg 1 0x00000000 ]
        yield return CtExpression.Load(CtKey.Status, Register.R1);
        yield return Bitwise(Register.R1, NftData.FromHostUInt32(IpsDstNat), NftData.FromHostUInt32(0));
        yield return new CmpExpression(CmpOperator.NotEqual, Register.R1, NftData.FromHostUInt32(0));
    }

    /// <summary><c>meta nfproto ipv4|ipv6</c>.</summary>
    public static IEnumerable<NftExpression> Family(AddressFamily family)
    {
        yield return MetaExpression.Load(MetaKey.NfProto, Register.R1);
        yield return new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(family == AddressFamily.InterNetwork ? NfprotoIPv4 : NfprotoIPv6));
    }

    /// <summary><c>iifname "x"</c> or <c>oifname "x"</c>.</summary>
    public static IEnumerable<NftExpression> InterfaceName(MetaKey key, string name)
    {
        yield return MetaExpression.Load(key, Register.R1);
        yield return new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromInterfaceName(name));
    }

    /// <summary><c>meta l4proto N</c>.</summary>
    public static IEnumerable<NftExpression> L4Proto(byte protocol)
    {
        yield return MetaExpression.Load(MetaKey.L4Proto, Register.R1);
        yield return new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(protocol));
    }

    /// <summary><c>th dport P</c> or <c>th dport P-Q</c> (nft 1.0.6 emits cmp gte + cmp lte for ranges).</summary>
    public static IEnumerable<NftExpression> DestinationPort(PortRange ports)
    {
        yield return PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1);
        if (ports.IsSingle)
        {
            yield return new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(ports.First));
        }
        else
        {
            yield return new CmpExpression(CmpOperator.GreaterThanOrEqual, Register.R1, NftData.FromPort(ports.First));
            yield return new CmpExpression(CmpOperator.LessThanOrEqual, Register.R1, NftData.FromPort(ports.Last));
        }
    }

    /// <summary><c>ip daddr A</c> / <c>ip6 daddr A</c>.</summary>
    public static IEnumerable<NftExpression> DestinationAddress(IPAddress address)
    {
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        yield return PayloadExpression.Load(PayloadBase.Network, v4 ? 16u : 24u, v4 ? 4u : 16u, Register.R1);
        yield return new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromIPAddress(address));
    }

    /// <summary><c>ip saddr P/len</c> / <c>ip6 saddr P/len</c> (a whole-address prefix is a plain compare, as nft emits).</summary>
    public static IEnumerable<NftExpression> SourcePrefix(IPNetwork network)
    {
        bool v4 = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        int bits = v4 ? 32 : 128;
        yield return PayloadExpression.Load(PayloadBase.Network, v4 ? 12u : 8u, v4 ? 4u : 16u, Register.R1);
        if (network.PrefixLength < bits)
        {
            yield return Bitwise(Register.R1, NftData.FromBytes(Mask(network.PrefixLength, bits / 8)), NftData.FromBytes(new byte[bits / 8]));
        }
        yield return new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromIPAddress(network.BaseAddress));
    }

    /// <summary>
    /// <c>ct original ip saddr P/len</c> (or <c>daddr</c>, <c>ip6</c>): the address conntrack
    /// recorded for the connection's first packet, before any translation. A whole-address prefix
    /// is a plain compare.
    /// </summary>
    public static IEnumerable<NftExpression> OriginalAddress(bool source, IPNetwork network)
    {
        bool v4 = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        int bits = v4 ? 32 : 128;
        CtKey key = (source, v4) switch
        {
            (true, true) => CtKey.SourceIPv4,
            (true, false) => CtKey.SourceIPv6,
            (false, true) => CtKey.DestinationIPv4,
            (false, false) => CtKey.DestinationIPv6,
        };
        yield return CtExpression.Load(key, Register.R1, CtDirection.Original);
        if (network.PrefixLength < bits)
        {
            yield return Bitwise(Register.R1, NftData.FromBytes(Mask(network.PrefixLength, bits / 8)), NftData.FromBytes(new byte[bits / 8]));
        }
        yield return new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromIPAddress(network.BaseAddress));
    }

    /// <summary><c>ct original proto-dst P</c> or <c>P-Q</c>: the public port the client connected to, before DNAT.</summary>
    public static IEnumerable<NftExpression> OriginalDestinationPort(PortRange ports)
    {
        // nft: [ ct load proto_dst => reg 1 , dir original ] [ cmp eq reg 1 0x0000ae08 ] (ranges: cmp gte + cmp lte)
        yield return CtExpression.Load(CtKey.ProtoDestination, Register.R1, CtDirection.Original);
        if (ports.IsSingle)
        {
            yield return new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(ports.First));
        }
        else
        {
            yield return new CmpExpression(CmpOperator.GreaterThanOrEqual, Register.R1, NftData.FromPort(ports.First));
            yield return new CmpExpression(CmpOperator.LessThanOrEqual, Register.R1, NftData.FromPort(ports.Last));
        }
    }

    /// <summary>
    /// <c>counter</c>: packets and bytes that reach it. A rule's counter stands right before its
    /// translation, where nft puts <c>... counter dnat to ...</c>: a nat statement ends the rule.
    /// </summary>
    public static NftExpression Counter() => new CounterExpression();

    /// <summary><c>masquerade [random] [fully-random]</c>.</summary>
    public static NftExpression Masquerade(NatRangeFlags flags) =>
        new MasqExpression { Flags = flags == NatRangeFlags.None ? null : flags };

    /// <summary><c>redirect to :port</c> with the port in <paramref name="portRegister"/>.</summary>
    public static NftExpression Redirect(Register portRegister) =>
        new RedirExpression { ProtoMin = portRegister, Flags = NatRangeFlags.ProtoSpecified };

    /// <summary><c>tproxy [ip|ip6] to [addr]:port</c>.</summary>
    public static NftExpression Tproxy(NetfilterFamily? family, Register? addressRegister, Register portRegister) =>
        // nft always sends the family; NFPROTO_UNSPEC (0) in inet tables when no address is given.
        new TproxyExpression(family ?? NetfilterFamily.Unspecified) { Address = addressRegister, Port = portRegister };

    /// <summary>bitwise: <c>reg = (reg &amp; mask) ^ xor</c>.</summary>
    public static NftExpression Bitwise(Register register, NftData mask, NftData xor) =>
        // nft 1.0.6 omits NFTA_BITWISE_OP for flag tests and prefix matches.
        BitwiseExpression.MaskXor(register, register, mask, xor, sendOperation: false);

    private static byte[] Mask(int prefixLength, int bytes)
    {
        var mask = new byte[bytes];
        for (int i = 0; i < prefixLength; i++)
        {
            mask[i / 8] |= (byte)(0x80 >> (i % 8));
        }
        return mask;
    }

    // fib is built from its raw attributes until it has a typed class; the registry decodes
    // them into the typed expression when there is one, UnknownExpression otherwise.
    private static NftExpression Raw(string name, Action<NetlinkWriter> attributes)
    {
        using var writer = new NetlinkWriter(64);
        attributes(writer);
        return ExpressionRegistry.Decode(name, writer.WrittenSpan);
    }
}
