using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// connlimit: counts the connections of the packet's key (nft <c>ct count 10</c>, <c>ct count over 10</c>).
/// Debug text: <c>[ connlimit count 10 flags 1 ]</c> (flags in hex without 0x). The kernel dumps
/// no NFTA_CONNLIMIT_FLAGS when they are 0.
/// </summary>
public sealed class ConnlimitExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_connlimit_attributes
    private const ushort AttrCount = 1; // NFTA_CONNLIMIT_COUNT (be32)
    private const ushort AttrFlags = 2; // NFTA_CONNLIMIT_FLAGS (be32)

    /// <summary>A limit of <paramref name="count"/> connections.</summary>
    public ConnlimitExpression(uint count) => Count = count;

    /// <summary>NFTA_CONNLIMIT_COUNT.</summary>
    public uint Count { get; }

    /// <summary>NFTA_CONNLIMIT_FLAGS, when sent.</summary>
    public ConnlimitFlags? Flags { get; init; }

    /// <inheritdoc />
    public override string Name => "connlimit";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_connlimit_build order: COUNT, FLAGS.
        writer.WriteUInt32BigEndian(AttrCount, Count);
        if (Flags is ConnlimitFlags f) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "connlimit");
        uint? count = null, flags = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrCount: count = a.GetUInt32BigEndian(); break;
                case AttrFlags: flags = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (count is null)
        {
            throw new NetlinkProtocolException("connlimit", "NFTA_CONNLIMIT_COUNT", "none");
        }
        return new ConnlimitExpression(count.Value) { Flags = (ConnlimitFlags?)flags };
    }

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append(CultureInfo.InvariantCulture, $"count {Count} flags {(uint)(Flags ?? ConnlimitFlags.None):x} ");
}
