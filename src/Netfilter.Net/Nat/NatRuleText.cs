using System.Linq;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Nat;

/// <summary>
/// The text a compiled rule and a rule read from the kernel are compared by: each expression in
/// libnftnl's notation, as the kernel dumps it back. The kernel fills in what the sender may
/// leave out (nft_nat_init, nft_redir_init: a missing maximum register is the minimum, the
/// MAP_IPS and PROTO_SPECIFIED flags follow from the registers given; nft_lookup_dump always
/// dumps the flags), so a compiled rule is normalized the same way before comparing. A counter
/// is compared without its values: they are what the rule has counted, not what it is.
/// </summary>
internal static class NatRuleText
{
    public static string Of(Rule rule) => string.Join(' ', rule.Expressions.Select(e => AsDumped(e).ToString()));

    private static NftExpression AsDumped(NftExpression expression) => expression switch
    {
        NatExpression n => new NatExpression(n.Type, n.Family)
        {
            AddressMin = n.AddressMin,
            AddressMax = n.AddressMax ?? n.AddressMin,
            ProtoMin = n.ProtoMin,
            ProtoMax = n.ProtoMax ?? n.ProtoMin,
            Flags = Flags((n.Flags ?? NatRangeFlags.None)
                | (n.AddressMin is null ? NatRangeFlags.None : NatRangeFlags.MapIps)
                | (n.ProtoMin is null ? NatRangeFlags.None : NatRangeFlags.ProtoSpecified)),
        },
        RedirExpression r => new RedirExpression
        {
            ProtoMin = r.ProtoMin,
            ProtoMax = r.ProtoMax ?? r.ProtoMin,
            Flags = Flags((r.Flags ?? NatRangeFlags.None) | (r.ProtoMin is null ? NatRangeFlags.None : NatRangeFlags.ProtoSpecified)),
        },
        MasqExpression m => new MasqExpression
        {
            ProtoMin = m.ProtoMin,
            ProtoMax = m.ProtoMax ?? m.ProtoMin,
            Flags = Flags(m.Flags ?? NatRangeFlags.None),
        },
        LookupExpression l when l.Flags is null => new LookupExpression(l.Set, l.Source, l.Destination, 0, l.SetId),
        CounterExpression => new CounterExpression(),
        _ => expression,
    };

    private static NatRangeFlags? Flags(NatRangeFlags flags) => flags == NatRangeFlags.None ? null : flags;
}
