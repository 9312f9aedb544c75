using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// A named quota (nft "quota NAME { [over] N bytes [used M bytes] }"): rules match while the
/// traffic counted into it stays under (or, with <see cref="QuotaFlags.Inverted"/>, goes over) the
/// limit. The fields and their types are those of <see cref="QuotaExpression"/> (the kernel reads
/// both the same way), each one optional because a dump or a user may leave it out.
/// </summary>
public sealed record QuotaObject : NftObject
{
    /// <summary>A quota named <paramref name="name"/> of <paramref name="bytes"/> bytes; nft sends the flags (none or <see cref="QuotaFlags.Inverted"/>) and the bytes already used.</summary>
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

    /// <summary>NFTA_QUOTA_FLAGS (<see cref="QuotaFlags.Inverted"/>, <see cref="QuotaFlags.Depleted"/>), when present.</summary>
    public QuotaFlags? Flags { get; init; }

    internal override string DebugName => "quota";

    internal override void EncodeData(NetlinkWriter writer) =>
        QuotaCodec.Write(writer, new QuotaCodec.Fields(Bytes, Consumed, Flags));

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data) =>
        QuotaCodec.Read(data, "quota object") is QuotaCodec.Fields fields
            ? new QuotaObject(family, table, name, fields.Bytes) { Consumed = fields.Consumed, Flags = fields.Flags }
            : null;

    // libnftnl nftnl_obj_quota_snprintf: the consumed bytes are not printed.
    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("bytes ").Append(Bytes ?? 0).Append(" flags ").Append((uint)(Flags ?? 0)).Append(' ');
}
