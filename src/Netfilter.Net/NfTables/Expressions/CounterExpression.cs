using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// counter: counts packets and bytes that reach it. Debug text: <c>[ counter pkts 0 bytes 0 ]</c>.
/// nft sends no attributes when adding a counter; the kernel always dumps both values.
/// </summary>
public sealed class CounterExpression : NftExpression
{
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

    internal override void EncodeData(NetlinkWriter writer) =>
        CounterCodec.Write(writer, new CounterCodec.Fields(Packets, Bytes));

    internal static NftExpression? Decode(ReadOnlySpan<byte> data) =>
        CounterCodec.Read(data, "counter") is CounterCodec.Fields fields ? new CounterExpression(fields.Packets, fields.Bytes) : null;

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("pkts ").Append(Packets ?? 0).Append(" bytes ").Append(Bytes ?? 0).Append(' ');
}
