using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// limit: a token bucket; matches while the traffic is under <see cref="Rate"/> per
/// <see cref="UnitSeconds"/> (or, inverted, once it is over).
/// Debug text: <c>[ limit rate 400/minute burst 20 type packets flags 0x0 ]</c>. libnftnl 1.2.4
/// names only the units 1, 60, 3600, 86400 and 604800 seconds and prints <c>error</c> for others.
/// </summary>
public sealed class LimitExpression : NftExpression
{
    /// <summary><paramref name="rate"/> packets (or bytes, see <see cref="Type"/>) per <paramref name="unitSeconds"/> seconds.</summary>
    public LimitExpression(ulong rate, ulong unitSeconds)
    {
        if (unitSeconds == 0)
        {
            // nft_limit_init refuses a zero unit (division by zero otherwise).
            throw new ArgumentOutOfRangeException(nameof(unitSeconds), unitSeconds, "the unit is at least one second");
        }
        Rate = rate;
        UnitSeconds = unitSeconds;
    }

    // Decoding keeps the kernel's values as they are; only callers' arguments are checked.
    private LimitExpression(ulong rate, ulong unitSeconds, bool fromKernel)
    {
        Rate = rate;
        UnitSeconds = unitSeconds;
    }

    /// <summary>NFTA_LIMIT_RATE: packets or bytes per unit.</summary>
    public ulong Rate { get; }

    /// <summary>NFTA_LIMIT_UNIT: the period in seconds (nft: second 1, minute 60, hour 3600, day 86400, week 604800).</summary>
    public ulong UnitSeconds { get; }

    /// <summary>NFTA_LIMIT_BURST: packets (or bytes) allowed above the rate; nft sends 5 packets by default, 0 for bytes.</summary>
    public uint? Burst { get; init; }

    /// <summary>NFTA_LIMIT_TYPE.</summary>
    public LimitType? Type { get; init; }

    /// <summary>NFTA_LIMIT_FLAGS.</summary>
    public LimitFlags? Flags { get; init; }

    /// <inheritdoc />
    public override string Name => "limit";

    internal override void EncodeData(NetlinkWriter writer) =>
        LimitCodec.Write(writer, new LimitCodec.Fields(Rate, UnitSeconds, Burst, Type, Flags));

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        if (LimitCodec.Read(data, "limit") is not LimitCodec.Fields fields)
        {
            return null;
        }
        if (fields.Rate is not ulong rate || fields.Unit is not ulong unit)
        {
            throw new NetlinkProtocolException("limit", "NFTA_LIMIT_RATE and NFTA_LIMIT_UNIT", "a missing attribute");
        }
        return new LimitExpression(rate, unit, fromKernel: true)
        {
            Burst = fields.Burst,
            Type = fields.Type,
            Flags = fields.Flags,
        };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl 1.2.4: "rate %llu/%s burst %u type %s flags 0x%x "; an unknown type prints "packets".
        string unit = UnitSeconds switch
        {
            1 => "second",
            60 => "minute",
            3600 => "hour",
            86400 => "day",
            604800 => "week",
            _ => "error",
        };
        string type = Type == LimitType.Bytes ? "bytes" : "packets";
        var c = CultureInfo.InvariantCulture;
        builder.Append(c, $"rate {Rate}/{unit} burst {Burst ?? 0} type {type} flags 0x{(uint)(Flags ?? LimitFlags.None):x} ");
    }
}
