using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// A named quota (nft "quota NAME { [over] N bytes [used M bytes] }"): rules match while the
/// traffic counted into it stays under (or, with <see cref="InvertFlag"/>, goes over) the limit.
/// </summary>
public sealed record QuotaObject : NftObject
{
    // uapi nf_tables.h, enum nft_quota_attributes
    private const ushort AttrBytes = 1;    // NFTA_QUOTA_BYTES
    private const ushort AttrFlags = 2;    // NFTA_QUOTA_FLAGS
    private const ushort AttrPad = 3;      // NFTA_QUOTA_PAD
    private const ushort AttrConsumed = 4; // NFTA_QUOTA_CONSUMED

    /// <summary>NFT_QUOTA_F_INV: match once the quota is exceeded (nft "over").</summary>
    public const uint InvertFlag = 1 << 0;

    /// <summary>NFT_QUOTA_F_DEPLETED: set by the kernel once the quota is used up.</summary>
    public const uint DepletedFlag = 1 << 1;

    /// <summary>A quota named <paramref name="name"/> of <paramref name="bytes"/> bytes; nft sends the flags (0 or <see cref="InvertFlag"/>) and the bytes already used.</summary>
    public QuotaObject(NetfilterFamily family, string table, string name, ulong? bytes = null)
        : base(family, table, name)
    {
        Bytes = bytes;
    }

    /// <inheritdoc />
    public override NftObjectType Type => NftObjectType.Quota;

    /// <summary>NFTA_QUOTA_BYTES: the limit, when present.</summary>
    public ulong? Bytes { get; init; }

    /// <summary>NFTA_QUOTA_CONSUMED: bytes already used, when present.</summary>
    public ulong? Consumed { get; init; }

    /// <summary>NFTA_QUOTA_FLAGS (<see cref="InvertFlag"/>, <see cref="DepletedFlag"/>), when present.</summary>
    public uint? Flags { get; init; }

    internal override string DebugName => "quota";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_obj_quota_build order: BYTES, CONSUMED, FLAGS.
        if (Bytes is ulong b) writer.WriteUInt64BigEndian(AttrBytes, b);
        if (Consumed is ulong c) writer.WriteUInt64BigEndian(AttrConsumed, c);
        if (Flags is uint f) writer.WriteUInt32BigEndian(AttrFlags, f);
    }

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "quota object");
        ulong? bytes = null, consumed = null;
        uint? flags = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrBytes: bytes = a.GetUInt64BigEndian(); break;
                case AttrConsumed: consumed = a.GetUInt64BigEndian(); break;
                case AttrFlags: flags = a.GetUInt32BigEndian(); break;
                case AttrPad: break;
                default: return null;
            }
        }
        return new QuotaObject(family, table, name, bytes) { Consumed = consumed, Flags = flags };
    }

    // libnftnl nftnl_obj_quota_snprintf: the consumed bytes are not printed.
    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("bytes ").Append(Bytes ?? 0).Append(" flags ").Append(Flags ?? 0).Append(' ');
}
