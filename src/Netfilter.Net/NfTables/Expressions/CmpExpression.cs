using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// cmp: compares a register with a constant; the rule stops here when the comparison fails.
/// Debug text: <c>[ cmp eq reg 1 0x00000006 ]</c>.
/// </summary>
public sealed class CmpExpression : NftExpression
{
    // enum nft_cmp_attributes
    private const ushort AttrSreg = 1; // NFTA_CMP_SREG
    private const ushort AttrOp = 2;   // NFTA_CMP_OP
    private const ushort AttrData = 3; // NFTA_CMP_DATA

    /// <summary>Compares <paramref name="source"/> with <paramref name="data"/> using <paramref name="op"/>.</summary>
    public CmpExpression(CmpOperator op, Register source, NftData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Operator = op;
        Source = source;
        Data = data;
    }

    /// <summary>The comparison.</summary>
    public CmpOperator Operator { get; }

    /// <summary>The register compared.</summary>
    public Register Source { get; }

    /// <summary>The constant.</summary>
    public NftData Data { get; }

    /// <inheritdoc />
    public override string Name => "cmp";

    internal override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(AttrSreg, Source.Raw);
        writer.WriteUInt32BigEndian(AttrOp, (uint)Operator);
        DataCodec.WriteValue(writer, AttrData, Data);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "cmp");
        Register? sreg = null;
        CmpOperator? op = null;
        NftData? value = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrSreg: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrOp: op = (CmpOperator)a.GetUInt32BigEndian(); break;
                case AttrData: value = DataCodec.ReadValue(a, "cmp NFTA_CMP_DATA"); break;
                default: return null;
            }
        }
        if (sreg is null || op is null || value is null)
        {
            throw new NetlinkProtocolException("cmp", "NFTA_CMP_SREG, NFTA_CMP_OP and NFTA_CMP_DATA", "a missing attribute");
        }
        return new CmpExpression(op.Value, sreg.Value, value);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        builder.Append(OperatorName(Operator)).Append(" reg ").Append(Source).Append(' ');
        Data.AppendDebug(builder);
    }

    internal static string OperatorName(CmpOperator op) => op switch
    {
        CmpOperator.Equal => "eq",
        CmpOperator.NotEqual => "neq",
        CmpOperator.LessThan => "lt",
        CmpOperator.LessThanOrEqual => "lte",
        CmpOperator.GreaterThan => "gt",
        CmpOperator.GreaterThanOrEqual => "gte",
        _ => "unknown",
    };
}
