using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// ct: loads a conntrack key of the packet's connection into a register (<c>ct state</c>,
/// <c>ct original saddr</c>), or sets one from a register (<c>ct mark set</c>).
/// Debug text: <c>[ ct load state =&gt; reg 1 ]</c>, <c>[ ct load src =&gt; reg 1 , dir original ]</c>,
/// <c>[ ct set mark with reg 1 ]</c>.
/// </summary>
/// <remarks>
/// The kernel does not dump the direction for keys that do not depend on it (e.g. protocol):
/// nft's <c>ct original protocol 6</c> lists back as <c>[ ct load protocol =&gt; reg 1 ]</c>.
/// </remarks>
public sealed class CtExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_ct_attributes
    private const ushort AttrDreg = 1;      // NFTA_CT_DREG
    private const ushort AttrKey = 2;       // NFTA_CT_KEY
    private const ushort AttrDirection = 3; // NFTA_CT_DIRECTION (u8)
    private const ushort AttrSreg = 4;      // NFTA_CT_SREG

    private CtExpression(CtKey key, Register? destination, Register? source, CtDirection? direction)
    {
        Key = key;
        Destination = destination;
        Source = source;
        Direction = direction;
    }

    /// <summary>ct load: <paramref name="key"/> (of <paramref name="direction"/>, for per-direction keys) into <paramref name="destination"/>.</summary>
    public static CtExpression Load(CtKey key, Register destination, CtDirection? direction = null) => new(key, destination, null, direction);

    /// <summary>ct set: <paramref name="key"/> from <paramref name="source"/> (e.g. <c>ct mark set</c>, <c>ct original zone set</c>).</summary>
    public static CtExpression Set(CtKey key, Register source, CtDirection? direction = null) => new(key, null, source, direction);

    /// <summary>NFTA_CT_KEY.</summary>
    public CtKey Key { get; }

    /// <summary>NFTA_CT_DREG, for a load.</summary>
    public Register? Destination { get; }

    /// <summary>NFTA_CT_SREG, for a set.</summary>
    public Register? Source { get; }

    /// <summary>NFTA_CT_DIRECTION, when present.</summary>
    public CtDirection? Direction { get; }

    /// <inheritdoc />
    public override string Name => "ct";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_ct_build order: KEY, DREG, DIRECTION, SREG.
        writer.WriteUInt32BigEndian(AttrKey, (uint)Key);
        if (Destination is Register d) writer.WriteUInt32BigEndian(AttrDreg, d.Raw);
        if (Direction is CtDirection dir) writer.WriteUInt8(AttrDirection, (byte)dir);
        if (Source is Register s) writer.WriteUInt32BigEndian(AttrSreg, s.Raw);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "ct");
        CtKey? key = null;
        Register? dreg = null, sreg = null;
        CtDirection? direction = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrKey: key = (CtKey)a.GetUInt32BigEndian(); break;
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrDirection: direction = (CtDirection)a.GetUInt8(); break;
                case AttrSreg: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                default: return null;
            }
        }
        if (key is null)
        {
            throw new NetlinkProtocolException("ct", "NFTA_CT_KEY", "none");
        }
        return new CtExpression(key.Value, dreg, sreg, direction);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_expr_ct_snprintf: the set form if SREG is present, the load form if
        // DREG is, then ", dir original|reply " (note the blank before the comma).
        if (Source is Register s)
        {
            builder.Append("set ").Append(KeyName(Key)).Append(" with reg ").Append(s).Append(' ');
        }
        else if (Destination is Register d)
        {
            builder.Append("load ").Append(KeyName(Key)).Append(" => reg ").Append(d).Append(' ');
        }
        if (Direction is CtDirection dir)
        {
            builder.Append(", dir ").Append(dir switch
            {
                CtDirection.Original => "original",
                CtDirection.Reply => "reply",
                _ => "unknown",
            }).Append(' ');
        }
    }

    /// <summary>libnftnl 1.2.4's name of a ct key (ctkey2str_array, up to NFT_CT_DST_IP6).</summary>
    internal static string KeyName(CtKey key) => key switch
    {
        CtKey.State => "state",
        CtKey.Direction => "direction",
        CtKey.Status => "status",
        CtKey.Mark => "mark",
        CtKey.SecMark => "secmark",
        CtKey.Expiration => "expiration",
        CtKey.Helper => "helper",
        CtKey.L3Protocol => "l3protocol",
        CtKey.Source => "src",
        CtKey.Destination => "dst",
        CtKey.Protocol => "protocol",
        CtKey.ProtoSource => "proto_src",
        CtKey.ProtoDestination => "proto_dst",
        CtKey.Labels => "label",
        CtKey.Packets => "packets",
        CtKey.Bytes => "bytes",
        CtKey.AveragePacket => "avgpkt",
        CtKey.Zone => "zone",
        CtKey.EventMask => "event",
        CtKey.SourceIPv4 => "src_ip",
        CtKey.DestinationIPv4 => "dst_ip",
        CtKey.SourceIPv6 => "src_ip6",
        CtKey.DestinationIPv6 => "dst_ip6",
        _ => "unknown", // includes NFT_CT_ID (23), which 1.2.4 does not know
    };
}
