using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// immediate: loads a constant into a register, or sets the verdict.
/// Debug text: <c>[ immediate reg 1 0x0000901f ]</c>, <c>[ immediate reg 0 accept ]</c>, <c>[ immediate reg 0 jump -&gt; c ]</c>.
/// </summary>
public sealed class ImmediateExpression : NftExpression
{
    // enum nft_immediate_attributes
    private const ushort AttrDreg = 1; // NFTA_IMMEDIATE_DREG
    private const ushort AttrData = 2; // NFTA_IMMEDIATE_DATA

    /// <summary>Loads <paramref name="data"/> into <paramref name="destination"/>.</summary>
    public ImmediateExpression(Register destination, NftData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Destination = destination;
        Data = data;
    }

    /// <summary>Sets the verdict (register 0).</summary>
    public ImmediateExpression(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        Destination = Register.Verdict;
        Verdict = verdict;
    }

    private ImmediateExpression(Register destination, NftData? data, Verdict? verdict)
    {
        Destination = destination;
        Data = data;
        Verdict = verdict;
    }

    /// <summary>The register written.</summary>
    public Register Destination { get; }

    /// <summary>The constant, for a data load.</summary>
    public NftData? Data { get; }

    /// <summary>The verdict, for a verdict load.</summary>
    public Verdict? Verdict { get; }

    /// <inheritdoc />
    public override string Name => "immediate";

    internal override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(AttrDreg, Destination.Raw);
        if (Verdict is not null)
        {
            DataCodec.WriteVerdict(writer, AttrData, Verdict);
        }
        else if (Data is not null)
        {
            DataCodec.WriteValue(writer, AttrData, Data);
        }
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "immediate");
        Register? dreg = null;
        NftData? value = null;
        Verdict? verdict = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrData: DataCodec.ReadData(a, "immediate NFTA_IMMEDIATE_DATA", out value, out verdict); break;
                default: return null;
            }
        }
        if (dreg is null)
        {
            throw new NetlinkProtocolException("immediate", "NFTA_IMMEDIATE_DREG", "none");
        }
        return new ImmediateExpression(dreg.Value, value, verdict);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        builder.Append("reg ").Append(Destination).Append(' ');
        if (Verdict is not null)
        {
            builder.Append(Verdict).Append(' ');
        }
        else
        {
            Data?.AppendDebug(builder);
        }
    }
}
