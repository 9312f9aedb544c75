using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// range: matches when a register is (or is not) between two constants, compared as big-endian
/// byte strings. nft 1.0.6 emits it for <c>!= 100-200</c> (an inside match becomes two cmp).
/// Debug text: <c>[ range neq reg 1 0x00006400 0x0000c800 ]</c>.
/// </summary>
public sealed class RangeExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_range_attributes
    private const ushort AttrSreg = 1; // NFTA_RANGE_SREG
    private const ushort AttrOp = 2;   // NFTA_RANGE_OP
    private const ushort AttrFrom = 3; // NFTA_RANGE_FROM_DATA
    private const ushort AttrTo = 4;   // NFTA_RANGE_TO_DATA

    /// <summary>Matches <paramref name="source"/> against [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public RangeExpression(RangeOperator op, Register source, NftData from, NftData to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.Length != to.Length)
        {
            // nft_range_init: both bounds must have the same length.
            throw new ArgumentException($"from ({from.Length} bytes) and to ({to.Length} bytes) must have the same length", nameof(to));
        }
        Operator = op;
        Source = source;
        From = from;
        To = to;
    }

    // Decoding keeps the kernel's values as they are; only callers' arguments are checked.
    private RangeExpression(RangeOperator op, Register source, NftData from, NftData to, bool fromKernel)
    {
        Operator = op;
        Source = source;
        From = from;
        To = to;
    }

    /// <summary>NFTA_RANGE_OP.</summary>
    public RangeOperator Operator { get; }

    /// <summary>NFTA_RANGE_SREG.</summary>
    public Register Source { get; }

    /// <summary>NFTA_RANGE_FROM_DATA: the lower bound, inclusive.</summary>
    public NftData From { get; }

    /// <summary>NFTA_RANGE_TO_DATA: the upper bound, inclusive.</summary>
    public NftData To { get; }

    /// <inheritdoc />
    public override string Name => "range";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_range_build order: SREG, OP, FROM, TO.
        writer.WriteUInt32BigEndian(AttrSreg, Source.Raw);
        writer.WriteUInt32BigEndian(AttrOp, (uint)Operator);
        DataCodec.WriteValue(writer, AttrFrom, From);
        DataCodec.WriteValue(writer, AttrTo, To);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "range");
        Register? sreg = null;
        uint? op = null;
        NftData? from = null, to = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrSreg: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrOp: op = a.GetUInt32BigEndian(); break;
                case AttrFrom: from = DataCodec.ReadValue(a, "range NFTA_RANGE_FROM_DATA"); break;
                case AttrTo: to = DataCodec.ReadValue(a, "range NFTA_RANGE_TO_DATA"); break;
                default: return null;
            }
        }
        if (sreg is null || op is null || from is null || to is null)
        {
            throw new NetlinkProtocolException("range", "NFTA_RANGE_SREG, _OP, _FROM_DATA and _TO_DATA", "a missing attribute");
        }
        return new RangeExpression((RangeOperator)op.Value, sreg.Value, from, to, fromKernel: true);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        string op = Operator switch
        {
            RangeOperator.Equal => "eq",
            RangeOperator.NotEqual => "neq",
            _ => "unknown",
        };
        builder.Append(op).Append(" reg ").Append(Source).Append(' ');
        From.AppendDebug(builder);
        To.AppendDebug(builder);
    }
}
