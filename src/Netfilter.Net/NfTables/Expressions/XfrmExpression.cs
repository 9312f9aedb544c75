using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// xfrm: loads a property of the IPsec state the packet went (or will go) through.
/// Debug text: <c>[ xfrm load in 0 reqid =&gt; reg 1 ]</c> (direction, position in the SA path, key).
/// </summary>
public sealed class XfrmExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_xfrm_attributes
    private const ushort AttrDreg = 1;  // NFTA_XFRM_DREG
    private const ushort AttrKey = 2;   // NFTA_XFRM_KEY
    private const ushort AttrDir = 3;   // NFTA_XFRM_DIR (u8)
    private const ushort AttrSpnum = 4; // NFTA_XFRM_SPNUM

    /// <summary>Loads <paramref name="key"/> of the state at position <paramref name="spNumber"/> of the <paramref name="direction"/> path into <paramref name="destination"/>.</summary>
    public XfrmExpression(XfrmKey key, XfrmDirection direction, uint spNumber, Register destination)
    {
        Key = key;
        Direction = direction;
        SpNumber = spNumber;
        Destination = destination;
    }

    /// <summary>NFTA_XFRM_KEY.</summary>
    public XfrmKey Key { get; }

    /// <summary>NFTA_XFRM_DIR.</summary>
    public XfrmDirection Direction { get; }

    /// <summary>NFTA_XFRM_SPNUM: which state of a nested SA path (nft "spnum", 0 by default).</summary>
    public uint SpNumber { get; }

    /// <summary>NFTA_XFRM_DREG.</summary>
    public Register Destination { get; }

    /// <inheritdoc />
    public override string Name => "xfrm";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_xfrm_build order: KEY, DIR, SPNUM, DREG.
        writer.WriteUInt32BigEndian(AttrKey, (uint)Key);
        writer.WriteUInt8(AttrDir, (byte)Direction);
        writer.WriteUInt32BigEndian(AttrSpnum, SpNumber);
        writer.WriteUInt32BigEndian(AttrDreg, Destination.Raw);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "xfrm");
        XfrmKey? key = null;
        XfrmDirection? direction = null;
        uint? spnum = null;
        Register? dreg = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrKey: key = (XfrmKey)a.GetUInt32BigEndian(); break;
                case AttrDir: direction = (XfrmDirection)a.GetUInt8(); break;
                case AttrSpnum: spnum = a.GetUInt32BigEndian(); break;
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                default: return null;
            }
        }
        if (key is null || direction is null || spnum is null || dreg is null)
        {
            // The kernel requires KEY, DIR and DREG and always dumps SPNUM (nft_xfrm_get_dump).
            return null;
        }
        return new XfrmExpression(key.Value, direction.Value, spnum.Value, dreg.Value);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_expr_xfrm_snprintf: "load <dir> <spnum> <key> => reg <dreg> ".
        string direction = Direction switch
        {
            XfrmDirection.In => "in",
            XfrmDirection.Out => "out",
            _ => "unknown",
        };
        builder.Append(CultureInfo.InvariantCulture, $"load {direction} {SpNumber} {KeyName(Key)} => reg {Destination} ");
    }

    // libnftnl xfrmkey2str: index 0 has no name (glibc prints "(null)"), past the table "unknown".
    private static string KeyName(XfrmKey key) => key switch
    {
        XfrmKey.Unspecified => "(null)",
        XfrmKey.DestinationAddress4 => "daddr4",
        XfrmKey.DestinationAddress6 => "daddr6",
        XfrmKey.SourceAddress4 => "saddr4",
        XfrmKey.SourceAddress6 => "saddr6",
        XfrmKey.RequestId => "reqid",
        XfrmKey.Spi => "spi",
        _ => "unknown",
    };
}
