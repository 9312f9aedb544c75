using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// A named rate limit (nft "limit NAME { rate [over] N/unit [burst B packets|bytes] }").
/// <c>rate 10/second</c> is <see cref="Rate"/> 10, <see cref="Unit"/> 1 (seconds); byte rates
/// set <see cref="LimitType"/> to <see cref="BytesType"/>.
/// </summary>
public sealed record LimitObject : NftObject
{
    // uapi nf_tables.h, enum nft_limit_attributes
    private const ushort AttrRate = 1;  // NFTA_LIMIT_RATE (be64)
    private const ushort AttrUnit = 2;  // NFTA_LIMIT_UNIT (be64, seconds)
    private const ushort AttrBurst = 3; // NFTA_LIMIT_BURST
    private const ushort AttrType = 4;  // NFTA_LIMIT_TYPE
    private const ushort AttrFlags = 5; // NFTA_LIMIT_FLAGS
    private const ushort AttrPad = 6;   // NFTA_LIMIT_PAD

    /// <summary>NFT_LIMIT_PKTS: the rate counts packets.</summary>
    public const uint PacketsType = 0;

    /// <summary>NFT_LIMIT_PKT_BYTES: the rate counts bytes.</summary>
    public const uint BytesType = 1;

    /// <summary>NFT_LIMIT_F_INV: match when over the rate (nft "over").</summary>
    public const uint InvertFlag = 1 << 0;

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

    /// <summary>NFTA_LIMIT_TYPE (<see cref="PacketsType"/> or <see cref="BytesType"/>), when present.</summary>
    public uint? LimitType { get; init; }

    /// <summary>NFTA_LIMIT_FLAGS (<see cref="InvertFlag"/>), when present.</summary>
    public uint? Flags { get; init; }

    internal override string DebugName => "limit";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_obj_limit_build order: RATE, UNIT, BURST, TYPE, FLAGS.
        if (Rate is ulong r) writer.WriteUInt64BigEndian(AttrRate, r);
        if (Unit is ulong u) writer.WriteUInt64BigEndian(AttrUnit, u);
        if (Burst is uint b) writer.WriteUInt32BigEndian(AttrBurst, b);
        if (LimitType is uint t) writer.WriteUInt32BigEndian(AttrType, t);
        if (Flags is uint f) writer.WriteUInt32BigEndian(AttrFlags, f);
    }

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "limit object");
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
        return new LimitObject(family, table, name, rate, unit) { Burst = burst, LimitType = type, Flags = flags };
    }

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("rate ").Append(Rate ?? 0).Append(" unit ").Append(Unit ?? 0).Append(" burst ").Append(Burst ?? 0)
            .Append(" type ").Append(LimitType ?? 0).Append(" flags ").Append(Flags ?? 0).Append(' ');
}
