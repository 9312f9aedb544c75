using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// A named counter (nft "counter NAME"): rules count into it with <c>counter name NAME</c>.
/// Attributes as the counter expression: NFTA_COUNTER_BYTES, NFTA_COUNTER_PACKETS (be64).
/// </summary>
public sealed record CounterObject : NftObject
{
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

    internal override void EncodeData(NetlinkWriter writer) =>
        CounterCodec.Write(writer, new CounterCodec.Fields(Packets, Bytes));

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data) =>
        CounterCodec.Read(data, "counter object") is CounterCodec.Fields fields
            ? new CounterObject(family, table, name) { Bytes = fields.Bytes, Packets = fields.Packets }
            : null;

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("pkts ").Append(Packets ?? 0).Append(" bytes ").Append(Bytes ?? 0).Append(' ');
}
