using System;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// Encodes and decodes the NFTA_DATA nest used by cmp, immediate, range, bitwise and set
/// elements: either NFTA_DATA_VALUE (bytes) or NFTA_DATA_VERDICT (code and chain).
/// <code>
/// NFTA_xxx_DATA (nested)
///   NFTA_DATA_VALUE  bytes            -- or --
///   NFTA_DATA_VERDICT (nested)
///     NFTA_VERDICT_CODE  be32 (signed)
///     NFTA_VERDICT_CHAIN string | NFTA_VERDICT_CHAIN_ID be32
/// </code>
/// </summary>
internal static class DataCodec
{
    public static void WriteValue(NetlinkWriter writer, ushort type, NftData value)
    {
        using NetlinkNest nest = writer.BeginNested(type);
        writer.WriteBytes(DataAttribute.Value, value.Span);
    }

    public static void WriteVerdict(NetlinkWriter writer, ushort type, Verdict verdict)
    {
        using NetlinkNest outer = writer.BeginNested(type);
        using NetlinkNest inner = writer.BeginNested(DataAttribute.Verdict);
        writer.WriteInt32BigEndian(VerdictAttribute.Code, (int)verdict.Kind);
        if (verdict.Chain is not null)
        {
            writer.WriteStringZ(VerdictAttribute.Chain, verdict.Chain);
        }
        if (verdict.ChainId is uint id)
        {
            writer.WriteUInt32BigEndian(VerdictAttribute.ChainId, id);
        }
    }

    /// <summary>Reads an NFTA_DATA nest that must hold a value.</summary>
    public static NftData ReadValue(in NetlinkAttribute attribute, string context)
    {
        ReadData(attribute, context, out NftData? value, out Verdict? verdict);
        return value ?? throw new NetlinkProtocolException(context, "NFTA_DATA_VALUE", verdict is null ? "an empty NFTA_DATA nest" : "a verdict");
    }

    /// <summary>Reads an NFTA_DATA nest holding a value or a verdict.</summary>
    public static void ReadData(in NetlinkAttribute attribute, string context, out NftData? value, out Verdict? verdict)
    {
        value = null;
        verdict = null;
        NetlinkAttributeReader reader = attribute.GetNested(context);
        while (reader.TryRead(out NetlinkAttribute inner))
        {
            switch (inner.Type)
            {
                case DataAttribute.Value:
                    if (inner.Payload.Length > NftData.MaxLength)
                    {
                        throw new NetlinkProtocolException(context, $"a data value of at most {NftData.MaxLength} bytes", $"{inner.Payload.Length}");
                    }
                    value = NftData.FromBytes(inner.Payload);
                    break;
                case DataAttribute.Verdict:
                    verdict = ReadVerdict(inner, context);
                    break;
                default:
                    throw new NetlinkProtocolException(context, "NFTA_DATA_VALUE or NFTA_DATA_VERDICT", $"attribute {inner.Type}");
            }
        }
    }

    private static Verdict ReadVerdict(in NetlinkAttribute attribute, string context)
    {
        int? code = null;
        string? chain = null;
        uint? chainId = null;
        NetlinkAttributeReader reader = attribute.GetNested(context + " NFTA_DATA_VERDICT");
        while (reader.TryRead(out NetlinkAttribute inner))
        {
            switch (inner.Type)
            {
                case VerdictAttribute.Code:
                    code = inner.GetInt32BigEndian();
                    break;
                case VerdictAttribute.Chain:
                    chain = inner.GetStringZ();
                    break;
                case VerdictAttribute.ChainId:
                    chainId = inner.GetUInt32BigEndian();
                    break;
                default:
                    throw new NetlinkProtocolException(context, "NFTA_VERDICT_CODE, _CHAIN or _CHAIN_ID", $"attribute {inner.Type}");
            }
        }
        if (code is null)
        {
            throw new NetlinkProtocolException(context, "NFTA_VERDICT_CODE", "none");
        }
        return new Verdict((VerdictKind)code.Value, chain, chainId);
    }
}
