using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// quota: matches until <see cref="Bytes"/> bytes have passed (or, inverted, after).
/// Debug text: <c>[ quota bytes 104857600 consumed 0 flags 0 ]</c> (flags in decimal).
/// </summary>
public sealed class QuotaExpression : NftExpression
{
    /// <summary>A quota of <paramref name="bytes"/> bytes.</summary>
    public QuotaExpression(ulong bytes) => Bytes = bytes;

    /// <summary>NFTA_QUOTA_BYTES.</summary>
    public ulong Bytes { get; }

    /// <summary>NFTA_QUOTA_CONSUMED: bytes already used (nft <c>used</c>; the kernel dumps the running count).</summary>
    public ulong? Consumed { get; init; }

    /// <summary>NFTA_QUOTA_FLAGS.</summary>
    public QuotaFlags? Flags { get; init; }

    /// <inheritdoc />
    public override string Name => "quota";

    internal override void EncodeData(NetlinkWriter writer) =>
        QuotaCodec.Write(writer, new QuotaCodec.Fields(Bytes, Consumed, Flags));

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        if (QuotaCodec.Read(data, "quota") is not QuotaCodec.Fields fields)
        {
            return null;
        }
        if (fields.Bytes is not ulong bytes)
        {
            throw new NetlinkProtocolException("quota", "NFTA_QUOTA_BYTES", "none");
        }
        return new QuotaExpression(bytes) { Consumed = fields.Consumed, Flags = fields.Flags };
    }

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append(CultureInfo.InvariantCulture, $"bytes {Bytes} consumed {Consumed ?? 0} flags {(uint)(Flags ?? QuotaFlags.None)} ");
}
