using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// rt: loads routing information of the packet (next hop, realm, path MSS).
/// Debug text: <c>[ rt load nexthop4 =&gt; reg 1 ]</c>.
/// </summary>
public sealed class RtExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_rt_attributes
    private const ushort AttrDreg = 1; // NFTA_RT_DREG
    private const ushort AttrKey = 2;  // NFTA_RT_KEY

    /// <summary>Loads <paramref name="key"/> into <paramref name="destination"/>.</summary>
    public RtExpression(RtKey key, Register destination)
    {
        Key = key;
        Destination = destination;
    }

    /// <summary>NFTA_RT_KEY.</summary>
    public RtKey Key { get; }

    /// <summary>NFTA_RT_DREG.</summary>
    public Register Destination { get; }

    /// <inheritdoc />
    public override string Name => "rt";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_rt_build order: KEY, DREG.
        writer.WriteUInt32BigEndian(AttrKey, (uint)Key);
        writer.WriteUInt32BigEndian(AttrDreg, Destination.Raw);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "rt");
        RtKey? key = null;
        Register? dreg = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrKey: key = (RtKey)a.GetUInt32BigEndian(); break;
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                default: return null;
            }
        }
        if (key is null || dreg is null)
        {
            throw new NetlinkProtocolException("rt", "NFTA_RT_KEY and NFTA_RT_DREG", "a missing attribute");
        }
        return new RtExpression(key.Value, dreg.Value);
    }

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("load ").Append(KeyName(Key)).Append(" => reg ").Append(Destination).Append(' ');

    // libnftnl 1.2.4 rt_key2str.
    private static string KeyName(RtKey key) => key switch
    {
        RtKey.ClassId => "classid",
        RtKey.NextHop4 => "nexthop4",
        RtKey.NextHop6 => "nexthop6",
        RtKey.TcpMss => "tcpmss",
        RtKey.Xfrm => "ipsec",
        _ => "unknown",
    };
}
