using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// A conntrack helper assignment (nft "ct helper NAME { type "ftp" protocol tcp; l3proto ip; }"),
/// applied by <c>ct helper set "NAME"</c>.
/// </summary>
public sealed record CtHelperObject : NftObject
{
    // uapi nf_tables.h, enum nft_ct_helper_attributes
    private const ushort AttrName = 1;    // NFTA_CT_HELPER_NAME
    private const ushort AttrL3Proto = 2; // NFTA_CT_HELPER_L3PROTO (be16)
    private const ushort AttrL4Proto = 3; // NFTA_CT_HELPER_L4PROTO (u8)

    /// <summary>
    /// Assigns the kernel helper <paramref name="helper"/> (e.g. "ftp") for <paramref name="layer4Protocol"/>
    /// (IPPROTO_TCP 6, IPPROTO_UDP 17); <paramref name="layer3Protocol"/> is the address family
    /// (NFPROTO_IPV4 2, NFPROTO_IPV6 10; nft's default in an inet table is ip).
    /// </summary>
    public CtHelperObject(NetfilterFamily family, string table, string name, string? helper = null, ushort? layer3Protocol = null, byte? layer4Protocol = null)
        : base(family, table, name)
    {
        Helper = helper;
        Layer3Protocol = layer3Protocol;
        Layer4Protocol = layer4Protocol;
    }

    /// <inheritdoc />
    public override NftObjectType Type => NftObjectType.CtHelper;

    /// <summary>NFTA_CT_HELPER_NAME: the kernel helper, when present.</summary>
    public string? Helper { get; init; }

    /// <summary>NFTA_CT_HELPER_L3PROTO, when present.</summary>
    public ushort? Layer3Protocol { get; init; }

    /// <summary>NFTA_CT_HELPER_L4PROTO, when present.</summary>
    public byte? Layer4Protocol { get; init; }

    internal override string DebugName => "ct_helper";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_obj_ct_helper_build: NAME (mnl_attr_put_str, no NUL), L3PROTO, L4PROTO.
        if (Helper is not null) UnterminatedString.Write(writer, AttrName, Helper);
        if (Layer3Protocol is ushort l3) writer.WriteUInt16BigEndian(AttrL3Proto, l3);
        if (Layer4Protocol is byte l4) writer.WriteUInt8(AttrL4Proto, l4);
    }

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "ct helper object");
        string? helper = null;
        ushort? l3 = null;
        byte? l4 = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrName: helper = a.GetString(); break;
                case AttrL3Proto: l3 = a.GetUInt16BigEndian(); break;
                case AttrL4Proto: l4 = a.GetUInt8(); break;
                default: return null;
            }
        }
        return new CtHelperObject(family, table, name, helper, l3, l4);
    }

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("name ").Append(Helper).Append(" family ").Append(Layer3Protocol ?? 0).Append(" protocol ").Append(Layer4Protocol ?? 0).Append(' ');
}
