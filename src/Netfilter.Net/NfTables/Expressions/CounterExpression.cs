using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// counter: counts packets and bytes that reach it. Debug text: <c>[ counter pkts 0 bytes 0 ]</c>.
/// nft sends no attributes when adding a counter; the kernel always dumps both values.
/// </summary>
public sealed class CounterExpression : NftExpression
{
    // enum nft_counter_attributes
    private const ushort AttrBytes = 1;   // NFTA_COUNTER_BYTES
    private const ushort AttrPackets = 2; // NFTA_COUNTER_PACKETS

    /// <summary>A counter; initial values are sent only when given.</summary>
    public CounterExpression(ulong? packets = null, ulong? bytes = null)
    {
        Packets = packets;
        Bytes = bytes;
    }

    /// <summary>NFTA_COUNTER_PACKETS, when present.</summary>
    public ulong? Packets { get; }

    /// <summary>NFTA_COUNTER_BYTES, when present.</summary>
    public ulong? Bytes { get; }

    /// <inheritdoc />
    public override string Name => "counter";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl build order: BYTES then PACKETS.
        if (Bytes is ulong b) writer.WriteUInt64BigEndian(AttrBytes, b);
        if (Packets is ulong p) writer.WriteUInt64BigEndian(AttrPackets, p);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "counter");
        ulong? bytes = null, packets = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrBytes: bytes = a.GetUInt64BigEndian(); break;
                case AttrPackets: packets = a.GetUInt64BigEndian(); break;
                case 3: break; // NFTA_COUNTER_PAD: alignment only
                default: return null;
            }
        }
        return new CounterExpression(packets, bytes);
    }

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("pkts ").Append(Packets ?? 0).Append(" bytes ").Append(Bytes ?? 0).Append(' ');
}
