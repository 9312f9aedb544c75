using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// reject: drops the packet and answers with an ICMP error or a TCP reset.
/// Debug text: <c>[ reject type 0 code 3 ]</c>. nft always sends the code (0 for a TCP reset);
/// the kernel does not dump it for a TCP reset, and libnftnl then prints 0.
/// </summary>
public sealed class RejectExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_reject_attributes
    private const ushort AttrType = 1; // NFTA_REJECT_TYPE
    private const ushort AttrCode = 2; // NFTA_REJECT_ICMP_CODE (u8)

    /// <summary>
    /// Rejects with <paramref name="type"/> and ICMP code <paramref name="code"/>: for ip, ICMP
    /// unreachable codes (3 port-unreachable, which nft uses by default); for ip6, ICMPv6 codes
    /// (4 port-unreachable); for icmpx, NFT_REJECT_ICMPX_*; 0 for a TCP reset.
    /// </summary>
    public RejectExpression(RejectType type, byte? code = 0)
    {
        Type = type;
        Code = code;
    }

    /// <summary>NFTA_REJECT_TYPE.</summary>
    public RejectType Type { get; }

    /// <summary>NFTA_REJECT_ICMP_CODE, when present.</summary>
    public byte? Code { get; }

    /// <inheritdoc />
    public override string Name => "reject";

    internal override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(AttrType, (uint)Type);
        if (Code is byte c) writer.WriteUInt8(AttrCode, c);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "reject");
        uint? type = null;
        byte? code = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrType: type = a.GetUInt32BigEndian(); break;
                case AttrCode: code = a.GetUInt8(); break;
                default: return null;
            }
        }
        if (type is null)
        {
            throw new NetlinkProtocolException("reject", "NFTA_REJECT_TYPE", "none");
        }
        return new RejectExpression((RejectType)type.Value, code);
    }

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("type ").Append((uint)Type).Append(" code ").Append(Code ?? 0).Append(' ');
}
