using System;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// The NFTA_COUNTER_* attributes, written and read once for the counter expression and the
/// counter object: the kernel parses both with nft_counter_do_init and dumps both with
/// nft_counter_do_dump.
/// </summary>
internal static class CounterCodec
{
    // uapi nf_tables.h, enum nft_counter_attributes
    private const ushort AttrBytes = 1;   // NFTA_COUNTER_BYTES (be64)
    private const ushort AttrPackets = 2; // NFTA_COUNTER_PACKETS (be64)
    private const ushort AttrPad = 3;     // NFTA_COUNTER_PAD (alignment only)

    /// <summary>The attributes as they were sent or dumped; each one null when absent.</summary>
    public readonly record struct Fields(ulong? Packets, ulong? Bytes);

    /// <summary>Writes the attributes present, in libnftnl's order (nftnl_expr_counter_build, nftnl_obj_counter_build): BYTES, PACKETS.</summary>
    public static void Write(NetlinkWriter writer, Fields fields)
    {
        if (fields.Bytes is ulong b) writer.WriteUInt64BigEndian(AttrBytes, b);
        if (fields.Packets is ulong p) writer.WriteUInt64BigEndian(AttrPackets, p);
    }

    /// <summary>Reads the attributes; null when one is unknown (the caller keeps the raw bytes instead).</summary>
    /// <param name="data">The expression's or object's data attributes.</param>
    /// <param name="context">What is being read, for a malformed attribute's error.</param>
    public static Fields? Read(ReadOnlySpan<byte> data, string context)
    {
        var reader = new NetlinkAttributeReader(data, context);
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
        return new Fields(packets, bytes);
    }
}
