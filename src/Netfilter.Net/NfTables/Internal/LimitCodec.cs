using System;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// The NFTA_LIMIT_* attributes, written and read once for the limit expression and the limit
/// object: the kernel parses both with nft_limit_init and dumps both with nft_limit_dump.
/// </summary>
internal static class LimitCodec
{
    // uapi nf_tables.h, enum nft_limit_attributes
    private const ushort AttrRate = 1;  // NFTA_LIMIT_RATE (be64)
    private const ushort AttrUnit = 2;  // NFTA_LIMIT_UNIT (be64, seconds)
    private const ushort AttrBurst = 3; // NFTA_LIMIT_BURST (be32)
    private const ushort AttrType = 4;  // NFTA_LIMIT_TYPE (be32)
    private const ushort AttrFlags = 5; // NFTA_LIMIT_FLAGS (be32)
    private const ushort AttrPad = 6;   // NFTA_LIMIT_PAD (alignment of the be64s only)

    /// <summary>The attributes as they were sent or dumped; each one null when absent.</summary>
    public readonly record struct Fields(ulong? Rate, ulong? Unit, uint? Burst, LimitType? Type, LimitFlags? Flags);

    /// <summary>Writes the attributes present, in libnftnl's order (nftnl_expr_limit_build, nftnl_obj_limit_build): RATE, UNIT, BURST, TYPE, FLAGS.</summary>
    public static void Write(NetlinkWriter writer, Fields fields)
    {
        if (fields.Rate is ulong r) writer.WriteUInt64BigEndian(AttrRate, r);
        if (fields.Unit is ulong u) writer.WriteUInt64BigEndian(AttrUnit, u);
        if (fields.Burst is uint b) writer.WriteUInt32BigEndian(AttrBurst, b);
        if (fields.Type is LimitType t) writer.WriteUInt32BigEndian(AttrType, (uint)t);
        if (fields.Flags is LimitFlags f) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
    }

    /// <summary>Reads the attributes; null when one is unknown (the caller keeps the raw bytes instead).</summary>
    /// <param name="data">The expression's or object's data attributes.</param>
    /// <param name="context">What is being read, for a malformed attribute's error.</param>
    public static Fields? Read(ReadOnlySpan<byte> data, string context)
    {
        var reader = new NetlinkAttributeReader(data, context);
        ulong? rate = null, unit = null;
        uint? burst = null, type = null, flags = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrRate: rate = a.GetUInt64BigEndian(); break;
                case AttrUnit: unit = a.GetUInt64BigEndian(); break;
                case AttrBurst: burst = a.GetUInt32BigEndian(); break;
                case AttrType: type = a.GetUInt32BigEndian(); break;
                case AttrFlags: flags = a.GetUInt32BigEndian(); break;
                case AttrPad: break;
                default: return null;
            }
        }
        return new Fields(rate, unit, burst, (LimitType?)type, (LimitFlags?)flags);
    }
}
