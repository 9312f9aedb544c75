using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// fib: looks the packet up in the routing table (reverse-path filtering, "is this address
/// local"). Debug text: <c>[ fib saddr . iif oif present =&gt; reg 1 ]</c>, <c>[ fib daddr type =&gt; reg 1 ]</c>.
/// </summary>
public sealed class FibExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_fib_attributes
    private const ushort AttrDreg = 1;   // NFTA_FIB_DREG
    private const ushort AttrResult = 2; // NFTA_FIB_RESULT
    private const ushort AttrFlags = 3;  // NFTA_FIB_FLAGS

    // libnftnl's names of the key flags, in the order it prints them.
    private static readonly (FibFlags Bit, string Name)[] s_flagNames =
    {
        (FibFlags.SourceAddress, "saddr"),
        (FibFlags.DestinationAddress, "daddr"),
        (FibFlags.Mark, "mark"),
        (FibFlags.InputInterface, "iif"),
        (FibFlags.OutputInterface, "oif"),
    };

    /// <summary>Looks up the fields in <paramref name="flags"/> and loads <paramref name="result"/> into <paramref name="destination"/>.</summary>
    public FibExpression(FibFlags flags, FibResult result, Register destination)
    {
        Flags = flags;
        Result = result;
        Destination = destination;
    }

    /// <summary>NFTA_FIB_FLAGS: the lookup keys, and <see cref="FibFlags.Present"/> for an existence check.</summary>
    public FibFlags Flags { get; }

    /// <summary>NFTA_FIB_RESULT.</summary>
    public FibResult Result { get; }

    /// <summary>NFTA_FIB_DREG.</summary>
    public Register Destination { get; }

    /// <inheritdoc />
    public override string Name => "fib";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_fib_build order: FLAGS, RESULT, DREG.
        writer.WriteUInt32BigEndian(AttrFlags, (uint)Flags);
        writer.WriteUInt32BigEndian(AttrResult, (uint)Result);
        writer.WriteUInt32BigEndian(AttrDreg, Destination.Raw);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "fib");
        uint? flags = null, result = null;
        Register? dreg = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrResult: result = a.GetUInt32BigEndian(); break;
                case AttrFlags: flags = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (flags is null || result is null || dreg is null)
        {
            // The kernel requires all three (nft_fib_init); libnftnl would print zeros for a missing one.
            throw new NetlinkProtocolException("fib", "NFTA_FIB_DREG, NFTA_FIB_RESULT and NFTA_FIB_FLAGS", "a missing attribute");
        }
        return new FibExpression((FibFlags)flags.Value, (FibResult)result.Value, dreg.Value);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_expr_fib_snprintf: the key flags in bit order, " . " between them, then
        // any unnamed bits as "unknown 0x..", then the result, " present", and the register.
        uint flags = (uint)Flags & ~(uint)FibFlags.Present;
        foreach ((FibFlags bit, string name) in s_flagNames)
        {
            if ((flags & (uint)bit) == 0)
            {
                continue;
            }
            builder.Append(name).Append(' ');
            flags &= ~(uint)bit;
            if (flags != 0)
            {
                builder.Append(". ");
            }
        }
        if (flags != 0)
        {
            builder.Append("unknown 0x").Append(flags.ToString("x", CultureInfo.InvariantCulture));
        }
        builder.Append(ResultName(Result));
        if ((Flags & FibFlags.Present) != 0)
        {
            builder.Append(" present");
        }
        builder.Append(" => reg ").Append(Destination).Append(' ');
    }

    // libnftnl fib_type[]: index 0 has no name, which glibc's printf shows as "(null)".
    private static string ResultName(FibResult result) => result switch
    {
        FibResult.Unspecified => "(null)",
        FibResult.OutputInterface => "oif",
        FibResult.OutputInterfaceName => "oifname",
        FibResult.AddressType => "type",
        _ => "unknown",
    };
}
