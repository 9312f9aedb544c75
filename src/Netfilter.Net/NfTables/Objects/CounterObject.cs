using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// A named counter (nft "counter NAME"): rules count into it with <c>counter name NAME</c>.
/// Attributes as the counter expression: NFTA_COUNTER_BYTES, NFTA_COUNTER_PACKETS (be64).
/// </summary>
public sealed record CounterObject : NftObject
{
    // uapi nf_tables.h, enum nft_counter_attributes
    private const ushort AttrBytes = 1;   // NFTA_COUNTER_BYTES
    private const ushort AttrPackets = 2; // NFTA_COUNTER_PACKETS
    private const ushort AttrPad = 3;     // NFTA_COUNTER_PAD

    /// <summary>A counter named <paramref name="name"/> in <paramref name="table"/>; starting values are sent only when set.</summary>
    public CounterObject(NetfilterFamily family, string table, string name)
        : base(family, table, name)
    {
    }

    /// <inheritdoc />
    public override NftObjectType Type => NftObjectType.Counter;

    /// <summary>NFTA_COUNTER_PACKETS, when present.</summary>
    public ulong? Packets { get; init; }

    /// <summary>NFTA_COUNTER_BYTES, when present.</summary>
    public ulong? Bytes { get; init; }

    internal override string DebugName => "counter";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_obj_counter_build order: BYTES, PKTS.
        if (Bytes is ulong b) writer.WriteUInt64BigEndian(AttrBytes, b);
        if (Packets is ulong p) writer.WriteUInt64BigEndian(AttrPackets, p);
    }

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "counter object");
        ulong? bytes = null, packets = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrBytes: bytes = a.GetUInt64BigEndian(); break;
                case AttrPackets: packets = a.GetUInt64BigEndian(); break;
                case AttrPad: break;
                default: return null;
            }
        }
        return new CounterObject(family, table, name) { Bytes = bytes, Packets = packets };
    }

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("pkts ").Append(Packets ?? 0).Append(" bytes ").Append(Bytes ?? 0).Append(' ');
}
