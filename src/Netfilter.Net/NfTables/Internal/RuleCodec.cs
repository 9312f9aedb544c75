using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>Encodes and decodes NFT_MSG_*RULE messages.</summary>
internal static class RuleCodec
{
    /// <summary>
    /// Writes a rule's attributes in the order nft 1.0.6 sends them (strace of nft add, insert
    /// and replace, Golden/nftables/transactions/rule-positions.golden): TABLE, CHAIN, HANDLE,
    /// EXPRESSIONS, (for xtables rules COMPAT,) then POSITION, USERDATA and ID (libnftnl's nftnl_rule_nlmsg_build_payload
    /// writes those after nft's own expression nest). Records the offset of each expression
    /// (relative to <paramref name="messageStart"/>) when asked.
    /// </summary>
    public static void Write(NetlinkWriter writer, Rule rule, List<int>? expressionOffsets = null, int messageStart = 0)
    {
        writer.WriteStringZ(RuleAttribute.Table, rule.Table);
        writer.WriteStringZ(RuleAttribute.Chain, rule.Chain);
        if (rule.Handle != 0)
        {
            writer.WriteUInt64BigEndian(RuleAttribute.Handle, rule.Handle);
        }
        ExpressionListCodec.Write(writer, RuleAttribute.Expressions, rule.Expressions, expressionOffsets, messageStart);
        // Where iptables-nft puts it; only for rules with xtables matches or targets.
        RuleCompat.Write(writer, rule.Family, rule.Expressions);
        if (rule.Position is ulong position)
        {
            writer.WriteUInt64BigEndian(RuleAttribute.Position, position);
        }
        if (!rule.UserData.IsEmpty)
        {
            writer.WriteBytes(RuleAttribute.UserData, rule.UserData.Span);
        }
        if (rule.Id is uint id)
        {
            writer.WriteUInt32BigEndian(RuleAttribute.Id, id);
        }
    }

    public static Rule Decode(in NetlinkMessage message)
    {
        NfGenMsg header = NfGenMsg.Read(message.Payload, "NFT_MSG_NEWRULE");
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NFTA_RULE");
        string? table = null, chain = null;
        ulong handle = 0;
        ulong? position = null;
        uint? id = null;
        List<NftExpression>? expressions = null;
        ReadOnlyMemory<byte> userData = default;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case RuleAttribute.Table: table = NameCache.GetStringZ(a); break;
                case RuleAttribute.Chain: chain = NameCache.GetStringZ(a); break;
                case RuleAttribute.Handle: handle = a.GetUInt64BigEndian(); break;
                case RuleAttribute.Expressions: expressions = ExpressionListCodec.Read(a, "NFTA_RULE_EXPRESSIONS"); break;
                case RuleAttribute.Position: position = a.GetUInt64BigEndian(); break;
                case RuleAttribute.UserData: userData = a.Payload.ToArray(); break;
                case RuleAttribute.Id: id = a.GetUInt32BigEndian(); break;
            }
        }
        if (string.IsNullOrEmpty(table) || string.IsNullOrEmpty(chain))
        {
            throw new NetlinkProtocolException("NFT_MSG_NEWRULE", "non-empty NFTA_RULE_TABLE and NFTA_RULE_CHAIN", table is null || chain is null ? "a missing attribute" : "an empty name");
        }
        return new Rule(header.Family, table, chain, (IReadOnlyList<NftExpression>?)expressions ?? Array.Empty<NftExpression>())
        {
            Handle = handle,
            Position = position,
            UserData = userData,
            Id = id,
        };
    }

    /// <summary>The handle in an echoed NFT_MSG_NEWRULE, or null.</summary>
    public static ulong? ReadHandle(in NetlinkMessage message)
    {
        if (message.Payload.Length < NfGenMsg.Size)
        {
            return null;
        }
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NFTA_RULE");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            if (a.Type == RuleAttribute.Handle)
            {
                return a.GetUInt64BigEndian();
            }
        }
        return null;
    }
}
