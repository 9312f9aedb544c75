using System;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// The NFTA_QUOTA_* attributes, written and read once for the quota expression and the quota
/// object: the kernel parses both with nft_quota_do_init and dumps both with nft_quota_do_dump.
/// </summary>
internal static class QuotaCodec
{
    // uapi nf_tables.h, enum nft_quota_attributes
    private const ushort AttrBytes = 1;    // NFTA_QUOTA_BYTES (be64)
    private const ushort AttrFlags = 2;    // NFTA_QUOTA_FLAGS (be32)
    private const ushort AttrPad = 3;      // NFTA_QUOTA_PAD (alignment only)
    private const ushort AttrConsumed = 4; // NFTA_QUOTA_CONSUMED (be64)

    /// <summary>The attributes as they were sent or dumped; each one null when absent.</summary>
    public readonly record struct Fields(ulong? Bytes, ulong? Consumed, QuotaFlags? Flags);

    /// <summary>Writes the attributes present, in libnftnl's order (nftnl_expr_quota_build, nftnl_obj_quota_build): BYTES, CONSUMED, FLAGS.</summary>
    public static void Write(NetlinkWriter writer, Fields fields)
    {
        if (fields.Bytes is ulong b) writer.WriteUInt64BigEndian(AttrBytes, b);
        if (fields.Consumed is ulong c) writer.WriteUInt64BigEndian(AttrConsumed, c);
        if (fields.Flags is QuotaFlags f) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
    }

    /// <summary>Reads the attributes; null when one is unknown (the caller keeps the raw bytes instead).</summary>
    /// <param name="data">The expression's or object's data attributes.</param>
    /// <param name="context">What is being read, for a malformed attribute's error.</param>
    public static Fields? Read(ReadOnlySpan<byte> data, string context)
    {
        var reader = new NetlinkAttributeReader(data, context);
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
        return new Fields(bytes, consumed, (QuotaFlags?)flags);
    }
}
