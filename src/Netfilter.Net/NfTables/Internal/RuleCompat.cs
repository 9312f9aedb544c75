using System.Collections.Generic;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// NFTA_RULE_COMPAT: the layer-4 protocol (and whether its match is inverted) that nft_compat
/// hands to an xtables match or target as the rule's <c>-p</c> (xt_check_match/xt_check_target:
/// a match such as multiport, or a target such as TCPMSS, is refused with EINVAL unless it is
/// TCP, UDP...). iptables-nft sends it with every rule, after the expressions:
/// <code>
/// NFTA_RULE_COMPAT (nested)
///   NFTA_RULE_COMPAT_PROTO be32   (6 for -p tcp, 0 without -p)
///   NFTA_RULE_COMPAT_FLAGS be32   (NFT_RULE_COMPAT_F_INV for ! -p)
/// </code>
/// The kernel keeps it only while it checks the rule and never dumps it, so a rule read back has
/// none. To recreate a rule that holds match or target expressions, it is derived the way
/// iptables-nft derives <c>-p</c> when it reads a rule: from the comparison of the layer-4
/// protocol (<c>meta l4proto</c>, or the IPv4 header's protocol byte) before the first of them.
/// </summary>
internal static class RuleCompat
{
    private const ushort AttrProto = 1; // NFTA_RULE_COMPAT_PROTO
    private const ushort AttrFlags = 2; // NFTA_RULE_COMPAT_FLAGS
    private const uint FlagInverted = 1u << 1; // NFT_RULE_COMPAT_F_INV

    /// <summary>Writes NFTA_RULE_COMPAT when <paramref name="expressions"/> hold an xtables match or target; nothing otherwise (nft sends none).</summary>
    public static void Write(NetlinkWriter writer, NetfilterFamily family, IReadOnlyList<NftExpression> expressions)
    {
        if (!TryDerive(family, expressions, out uint protocol, out bool inverted))
        {
            return;
        }
        using NetlinkNest nest = writer.BeginNested(RuleAttribute.Compat);
        writer.WriteUInt32BigEndian(AttrProto, protocol);
        writer.WriteUInt32BigEndian(AttrFlags, inverted ? FlagInverted : 0);
    }

    /// <summary>
    /// False when the rule has no match or target expression. Otherwise the protocol compared
    /// before the first one (0 when none is) and whether the comparison was "!=".
    /// </summary>
    internal static bool TryDerive(NetfilterFamily family, IReadOnlyList<NftExpression> expressions, out uint protocol, out bool inverted)
    {
        protocol = 0;
        inverted = false;
        Register? l4 = null;
        foreach (NftExpression e in expressions)
        {
            switch (e)
            {
                case XtablesExpression:
                    return true;
                case MetaExpression { Key: MetaKey.L4Proto, Destination: Register d }:
                    l4 = d;
                    break;
                // Older iptables-nft releases load the protocol byte of the IPv4 header instead.
                case PayloadExpression { Base: PayloadBase.Network, Offset: 9, Length: 1, Destination: Register d } when family == NetfilterFamily.IPv4:
                    l4 = d;
                    break;
                case CmpExpression cmp when l4 is Register r && cmp.Source.Equals(r) && cmp.Data.Length == 1
                                            && cmp.Operator is CmpOperator.Equal or CmpOperator.NotEqual:
                    protocol = cmp.Data.Span[0];
                    inverted = cmp.Operator == CmpOperator.NotEqual;
                    l4 = null;
                    break;
            }
        }
        // No match or target: nothing to derive, and nothing to send.
        protocol = 0;
        inverted = false;
        return false;
    }
}
