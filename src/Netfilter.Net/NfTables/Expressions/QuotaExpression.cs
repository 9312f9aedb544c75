using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// quota: matches until <see cref="Bytes"/> bytes have passed (or, inverted, after).
/// Debug text: <c>[ quota bytes 104857600 consumed 0 flags 0 ]</c> (flags in decimal).
/// </summary>
public sealed class QuotaExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_quota_attributes
    private const ushort AttrBytes = 1;    // NFTA_QUOTA_BYTES (be64)
    private const ushort AttrFlags = 2;    // NFTA_QUOTA_FLAGS (be32)
    private const ushort AttrPad = 3;      // NFTA_QUOTA_PAD (alignment only)
    private const ushort AttrConsumed = 4; // NFTA_QUOTA_CONSUMED (be64)

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

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_quota_build order: BYTES, CONSUMED, FLAGS.
        writer.WriteUInt64BigEndian(AttrBytes, Bytes);
        if (Consumed is ulong c) writer.WriteUInt64BigEndian(AttrConsumed, c);
        if (Flags is QuotaFlags f) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "quota");
        ulong? bytes = null, consumed = null;
        uint? flags = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrBytes: bytes = a.GetUInt64BigEndian(); break;
                case AttrFlags: flags = a.GetUInt32BigEndian(); break;
                case AttrPad: break;
                case AttrConsumed: consumed = a.GetUInt64BigEndian(); break;
                default: return null;
            }
        }
        if (bytes is null)
        {
            throw new NetlinkProtocolException("quota", "NFTA_QUOTA_BYTES", "none");
        }
        return new QuotaExpression(bytes.Value) { Consumed = consumed, Flags = (QuotaFlags?)flags };
    }

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append(CultureInfo.InvariantCulture, $"bytes {Bytes} consumed {Consumed ?? 0} flags {(uint)(Flags ?? QuotaFlags.None)} ");
}
