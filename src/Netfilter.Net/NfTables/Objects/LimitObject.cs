using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// A named rate limit (nft "limit NAME { rate [over] N/unit [burst B packets|bytes] }").
/// <c>rate 10/second</c> is <see cref="Rate"/> 10, <see cref="Unit"/> 1 (seconds); byte rates
/// set <see cref="LimitType"/> to <see cref="Expressions.LimitType.Bytes"/>. The fields and their
/// types are those of <see cref="LimitExpression"/> (the kernel reads both the same way), each
/// one optional because a dump or a user may leave it out.
/// </summary>
public sealed record LimitObject : NftObject
{
    /// <summary>A limit named <paramref name="name"/> of <paramref name="rate"/> per <paramref name="unitSeconds"/> seconds.</summary>
    public LimitObject(NetfilterFamily family, string table, string name, ulong? rate = null, ulong? unitSeconds = null)
        : base(family, table, name)
    {
        Rate = rate;
        Unit = unitSeconds;
    }

    /// <inheritdoc />
    public override NftObjectType Type => NftObjectType.Limit;

    /// <summary>NFTA_LIMIT_RATE, when present.</summary>
    public ulong? Rate { get; init; }

    /// <summary>NFTA_LIMIT_UNIT in seconds (1, 60, 3600, 86400, 604800), when present.</summary>
    public ulong? Unit { get; init; }

    /// <summary>NFTA_LIMIT_BURST (packets, or bytes for a byte rate), when present.</summary>
    public uint? Burst { get; init; }

    /// <summary>NFTA_LIMIT_TYPE: packets or bytes, when present.</summary>
    public LimitType? LimitType { get; init; }

    /// <summary>NFTA_LIMIT_FLAGS (<see cref="LimitFlags.Inverted"/> for nft "over"), when present.</summary>
    public LimitFlags? Flags { get; init; }

    internal override string DebugName => "limit";

    internal override void EncodeData(NetlinkWriter writer) =>
        LimitCodec.Write(writer, new LimitCodec.Fields(Rate, Unit, Burst, LimitType, Flags));

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data) =>
        LimitCodec.Read(data, "limit object") is LimitCodec.Fields fields
            ? new LimitObject(family, table, name, fields.Rate, fields.Unit) { Burst = fields.Burst, LimitType = fields.Type, Flags = fields.Flags }
            : null;

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("rate ").Append(Rate ?? 0).Append(" unit ").Append(Unit ?? 0).Append(" burst ").Append(Burst ?? 0)
            .Append(" type ").Append((uint)(LimitType ?? 0)).Append(" flags ").Append((uint)(Flags ?? 0)).Append(' ');
}
