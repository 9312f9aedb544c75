using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// last: records when a packet last reached it (kernel 5.14). Debug text: <c>[ last never ]</c>
/// before the first packet, <c>[ last 1234 ]</c> (milliseconds ago) after. nft 1.0.6 cannot
/// write it (its parser has no "last" statement), but lists it.
/// </summary>
public sealed class LastExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_last_attributes
    private const ushort AttrSet = 1;   // NFTA_LAST_SET: 1 once a packet was seen
    private const ushort AttrMsecs = 2; // NFTA_LAST_MSECS (be64): milliseconds since then
    private const ushort AttrPad = 3;   // NFTA_LAST_PAD: alignment only

    /// <summary>A new "last" (nothing sent: the kernel starts at never), or one with a known state.</summary>
    public LastExpression(uint? set = null, ulong? milliseconds = null)
    {
        Set = set;
        Milliseconds = milliseconds;
    }

    /// <summary>NFTA_LAST_SET, when present: nonzero once a packet was seen.</summary>
    public uint? Set { get; }

    /// <summary>NFTA_LAST_MSECS, when present.</summary>
    public ulong? Milliseconds { get; }

    /// <inheritdoc />
    public override string Name => "last";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_last_build order: MSECS, SET.
        if (Milliseconds is ulong ms) writer.WriteUInt64BigEndian(AttrMsecs, ms);
        if (Set is uint s) writer.WriteUInt32BigEndian(AttrSet, s);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "last");
        uint? set = null;
        ulong? ms = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrSet: set = a.GetUInt32BigEndian(); break;
                case AttrMsecs: ms = a.GetUInt64BigEndian(); break;
                case AttrPad: break;
                default: return null;
            }
        }
        return new LastExpression(set, ms);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        if ((Set ?? 0) == 0)
        {
            builder.Append("never ");
        }
        else
        {
            builder.Append(Milliseconds ?? 0).Append(' ');
        }
    }
}
