using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// flow_offload: puts the packet's connection into a flowtable, so later packets take the fast
/// path (nft "flow add @ft"). Debug text: <c>[ flow_offload flowtable ft ]</c>. Needs
/// CONFIG_NF_FLOW_TABLE in the kernel and the flowtable in the rule's table.
/// </summary>
public sealed class FlowOffloadExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_offload_attributes
    private const ushort AttrTableName = 1; // NFTA_FLOW_TABLE_NAME

    /// <summary>Offloads to the flowtable named <paramref name="flowtable"/>.</summary>
    public FlowOffloadExpression(string flowtable)
    {
        ArgumentException.ThrowIfNullOrEmpty(flowtable);
        Flowtable = flowtable;
    }

    /// <summary>NFTA_FLOW_TABLE_NAME.</summary>
    public string Flowtable { get; }

    /// <inheritdoc />
    public override string Name => "flow_offload";

    internal override void EncodeData(NetlinkWriter writer) => writer.WriteStringZ(AttrTableName, Flowtable);

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "flow_offload");
        string? name = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrTableName: name = a.GetStringZ(); break;
                default: return null;
            }
        }
        if (string.IsNullOrEmpty(name))
        {
            throw new NetlinkProtocolException("flow_offload", "NFTA_FLOW_TABLE_NAME", "none");
        }
        return new FlowOffloadExpression(name);
    }

    internal override void AppendDebugBody(StringBuilder builder) => builder.Append("flowtable ").Append(Flowtable).Append(' ');
}
