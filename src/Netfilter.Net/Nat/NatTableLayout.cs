using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Nat;

/// <summary>
/// The fixed shape of a NAT table (layout 3): maps for plain rules (one lookup per packet however
/// many there are), regular chains for rules with extra conditions, and the base chains that tie
/// them to the hooks.
/// <code>
/// table inet NAME {                                 comment "nfnet NAT table NAME layout 3"
///   map redirect_pre, redirect_out { inet_proto . inet_service : inet_service; counter }
///   map dnat4_pre, dnat4_out       { inet_proto . inet_service : ipv4_addr . inet_service; counter }
///   map dnat6_pre, dnat6_out       { inet_proto . inet_service : ipv6_addr . inet_service; counter }
///   set masq4 { inet_proto . inet_service . ipv4_addr . inet_service }   (public key . target)
///   set masq6 { inet_proto . inet_service . ipv6_addr . inet_service }
///   chain pre_rules, out_rules     conditional redirects and forwards (prerouting, output), each with a counter
///   chain post_forward             forwards' own return-path masquerade and hairpin rules
///   chain post_rules               snat and masquerade rules, each with a counter
///   chain prerouting  { nat hook prerouting priority dstnat;  jump pre_rules; redirect/dnat map lookups }
///   chain output      { nat hook output priority dstnat;      jump out_rules; redirect/dnat map lookups }
///   chain postrouting { nat hook postrouting priority srcnat;
///                       ct status dnat meta nfproto ipv4 meta l4proto . ct original proto-dst . ip daddr . th dport @masq4 masquerade
///                       (the same for ipv6 and @masq6); jump post_forward; jump post_rules }
///   chain tproxy_rules { filter hook prerouting priority mangle; tproxy rules, each with a counter }
/// }
/// </code>
/// <para><b>The invariant: every typed rule owns its pieces.</b> Each piece (map or set element,
/// rule) carries its typed rule's canonical text as comment and matches only packets of that
/// rule's claim (<see cref="NatClaim"/>), and a table never holds two rules whose claims
/// intersect (<see cref="NatConflicts"/>). So adding, removing or replacing one rule never changes
/// another's packet path. Plain redirects and forwards are map elements keyed by their public
/// (protocol . port), exclusive because conflicting claims are refused. A forward's return-path
/// masquerade is keyed by its own public key as conntrack recorded it (<c>ct original
/// proto-dst</c>) and by its translated target (<c>ip daddr . th dport</c>), never by the backend
/// alone: two forwards to one backend each own an element, and connections another table DNATed
/// to the same public port are not masqueraded. Conditional return-path and hairpin rules match
/// their forward's public claim through conntrack the same way (<c>ct original ip daddr</c>,
/// <c>ct original ip saddr</c>, <c>ct original proto-dst</c>) plus the translated target. They run
/// before the snat and masquerade rules, so a forward's own return path does not depend on
/// them.</para>
/// <para><b>Layout 3 adds: every piece that translates a rule's own claim counts what it
/// translates, and counts it once.</b> Those pieces are the elements of the redirect and dnat
/// maps (each gets a counter: the maps carry <c>counter</c> as their set expression, and each
/// element is also written with its own, so it has one whichever kernel clones the set's) and the
/// rules of pre_rules, out_rules, post_rules and tproxy (a <c>counter</c> right before the
/// translation). The return-path pieces (masq4, masq6, post_forward) carry none: they see
/// connections a counted piece already counted. Because nat chains see only a connection's first
/// packet, the counters of redirects, forwards, snat and masquerade count new connections; the
/// tproxy chain is a filter chain and counts every packet (<see cref="NatRuleStatistics"/>).
/// Counters observe and never change a packet's path: a kernel that keeps no per-element counter
/// (before Linux 5.7) leaves the elements without one, which is not a layout problem; the rules
/// then read back with no statistics. Layout 3 also renames layout 2's filter chain <c>tproxy</c>
/// to <c>tproxy_rules</c>: <c>tproxy</c> is an nft keyword, so nft could list the table but not
/// read its own listing back.</para>
/// <para>Layout rules carry comments starting with <see cref="LayoutCommentPrefix"/>. The table's
/// comment (<see cref="OwnerComment(string)"/>) marks it as a NatTable's and says its layout version;
/// a table with the same name and no marker is someone else's and is never adopted. A table in
/// an earlier layout (1: "nfnet NAT table NAME"; 2: the layout before counters) is read from its
/// pieces' comments and rebuilt in this layout by the next change, in one transaction.</para>
/// </summary>
internal static class NatTableLayout
{
    public const string LayoutCommentPrefix = "nfnet layout:";

    /// <summary>The layout this version writes.</summary>
    public const int Version = 3;

    /// <summary>The table comment of layout 1 (Netfilter.Net before typed rules owned their pieces): "nfnet NAT table NAME".</summary>
    public static string LegacyOwnerComment(string table) => "nfnet NAT table " + table;

    /// <summary>The table comment that marks a table as a NatTable's, with its layout version: "nfnet NAT table NAME layout 3".</summary>
    public static string OwnerComment(string table) => OwnerComment(table, Version);

    /// <summary>The table comment of layout <paramref name="version"/> (2 and later): "nfnet NAT table NAME layout N".</summary>
    public static string OwnerComment(string table, int version) => $"nfnet NAT table {table} layout {version}";

    public const string Prerouting = "prerouting";
    public const string Output = "output";
    public const string Postrouting = "postrouting";
    public const string Tproxy = "tproxy_rules";
    public const string PreRules = "pre_rules";
    public const string OutRules = "out_rules";
    public const string PostForward = "post_forward";
    public const string PostRules = "post_rules";

    public const string RedirectPre = "redirect_pre";
    public const string RedirectOut = "redirect_out";
    public const string Dnat4Pre = "dnat4_pre";
    public const string Dnat4Out = "dnat4_out";
    public const string Dnat6Pre = "dnat6_pre";
    public const string Dnat6Out = "dnat6_out";
    public const string Masq4 = "masq4";
    public const string Masq6 = "masq6";

    /// <summary>The base chains, which hold only layout rules.</summary>
    public static readonly string[] BaseChains = { Prerouting, Output, Postrouting, Tproxy };

    /// <summary>The chains typed rules compile into (the tproxy base chain among them).</summary>
    public static readonly string[] RuleChains = { PreRules, OutRules, PostForward, PostRules, Tproxy };

    /// <summary>Every chain of the layout.</summary>
    public static readonly string[] AllChains = { PreRules, OutRules, PostForward, PostRules, Prerouting, Output, Postrouting, Tproxy };

    /// <summary>The maps and sets typed rules put elements in.</summary>
    public static readonly string[] Sets = { RedirectPre, RedirectOut, Dnat4Pre, Dnat4Out, Dnat6Pre, Dnat6Out, Masq4, Masq6 };

    /// <summary>The maps whose elements translate a rule's own claim, each with a counter.</summary>
    public static readonly string[] CountedSets = { RedirectPre, RedirectOut, Dnat4Pre, Dnat4Out, Dnat6Pre, Dnat6Out };

    /// <summary>The chains whose typed rules translate a rule's own claim, each with a counter (not post_forward: return paths).</summary>
    public static readonly string[] CountedChains = { PreRules, OutRules, PostRules, Tproxy };

    /// <summary>True when <paramref name="set"/>'s elements carry counters.</summary>
    public static bool IsCounted(string set) => Array.IndexOf(CountedSets, set) >= 0;

    /// <summary>The expressions every element of a counted map carries (the map's set expression, and each element's own).</summary>
    public static IReadOnlyList<NftExpression> ElementCounter() => new NftExpression[] { new CounterExpression() };

    private static readonly uint ProtoService = SetDataTypes.Concat(SetDataTypes.InetProtocol, SetDataTypes.InetService);

    public static IEnumerable<Set> SetDefinitions(string table)
    {
        yield return Map(table, RedirectPre, SetDataTypes.InetService, 2);
        yield return Map(table, RedirectOut, SetDataTypes.InetService, 2);
        yield return Map(table, Dnat4Pre, SetDataTypes.Concat(SetDataTypes.IPv4Address, SetDataTypes.InetService), 8);
        yield return Map(table, Dnat4Out, SetDataTypes.Concat(SetDataTypes.IPv4Address, SetDataTypes.InetService), 8);
        yield return Map(table, Dnat6Pre, SetDataTypes.Concat(SetDataTypes.IPv6Address, SetDataTypes.InetService), 20);
        yield return Map(table, Dnat6Out, SetDataTypes.Concat(SetDataTypes.IPv6Address, SetDataTypes.InetService), 20);
        yield return new Set(NetfilterFamily.Inet, table, Masq4)
        {
            KeyType = SetDataTypes.Concat(SetDataTypes.InetProtocol, SetDataTypes.InetService, SetDataTypes.IPv4Address, SetDataTypes.InetService),
            KeyLength = 16,
        };
        yield return new Set(NetfilterFamily.Inet, table, Masq6)
        {
            KeyType = SetDataTypes.Concat(SetDataTypes.InetProtocol, SetDataTypes.InetService, SetDataTypes.IPv6Address, SetDataTypes.InetService),
            KeyLength = 28,
        };
    }

    // nft's "map m { ...; counter; }": NFTA_SET_EXPR counter, which the kernel gives each new element (Linux 5.12).
    private static Set Map(string table, string name, uint dataType, uint dataLength) => new(NetfilterFamily.Inet, table, name)
    {
        Flags = SetFlags.Map,
        KeyType = ProtoService,
        KeyLength = 8,
        DataType = dataType,
        DataLength = dataLength,
        Expressions = ElementCounter(),
    };

    public static IEnumerable<Chain> ChainDefinitions(string table)
    {
        yield return new Chain(NetfilterFamily.Inet, table, PreRules);
        yield return new Chain(NetfilterFamily.Inet, table, OutRules);
        yield return new Chain(NetfilterFamily.Inet, table, PostForward);
        yield return new Chain(NetfilterFamily.Inet, table, PostRules);
        yield return Base(table, Prerouting, ChainHooks.Prerouting, ChainPriorities.DestinationNat, "nat");
        yield return Base(table, Output, ChainHooks.Output, ChainPriorities.DestinationNat, "nat");
        yield return Base(table, Postrouting, ChainHooks.Postrouting, ChainPriorities.SourceNat, "nat");
        yield return Base(table, Tproxy, ChainHooks.Prerouting, ChainPriorities.Mangle, "filter");
    }

    private static Chain Base(string table, string name, uint hook, int priority, string type) => new(NetfilterFamily.Inet, table, name)
    {
        Hook = new ChainHook(hook, priority),
        Type = type,
        Policy = VerdictKind.Accept,
    };

    /// <summary>The fixed rules of the base chains, each with its layout comment.</summary>
    public static IEnumerable<Rule> RuleDefinitions(string table)
    {
        foreach ((string chain, string rules, string redirect, string dnat4, string dnat6) in new[]
        {
            (Prerouting, PreRules, RedirectPre, Dnat4Pre, Dnat6Pre),
            (Output, OutRules, RedirectOut, Dnat4Out, Dnat6Out),
        })
        {
            yield return LayoutRule(table, chain, "jump " + rules, new NftExpression[] { new ImmediateExpression(Verdict.JumpTo(rules)) });
            yield return LayoutRule(table, chain, "redirect map @" + redirect, RedirectMap(redirect));
            yield return LayoutRule(table, chain, "dnat map @" + dnat4, DnatMap(dnat4, System.Net.Sockets.AddressFamily.InterNetwork));
            yield return LayoutRule(table, chain, "dnat map @" + dnat6, DnatMap(dnat6, System.Net.Sockets.AddressFamily.InterNetworkV6));
        }
        // Forwards' own return paths first, so that snat and masquerade rules never change them.
        yield return LayoutRule(table, Postrouting, "masquerade @" + Masq4, MasqueradeSet(Masq4, System.Net.Sockets.AddressFamily.InterNetwork));
        yield return LayoutRule(table, Postrouting, "masquerade @" + Masq6, MasqueradeSet(Masq6, System.Net.Sockets.AddressFamily.InterNetworkV6));
        yield return LayoutRule(table, Postrouting, "jump " + PostForward, new NftExpression[] { new ImmediateExpression(Verdict.JumpTo(PostForward)) });
        yield return LayoutRule(table, Postrouting, "jump " + PostRules, new NftExpression[] { new ImmediateExpression(Verdict.JumpTo(PostRules)) });
    }

    private static Rule LayoutRule(string table, string chain, string what, IReadOnlyList<NftExpression> expressions) =>
        new Rule(NetfilterFamily.Inet, table, chain, expressions).WithComment(LayoutCommentPrefix + " " + what);

    // redirect to : meta l4proto . th dport map @m
    private static NftExpression[] RedirectMap(string map) => new NftExpression[]
    {
        MetaExpression.Load(MetaKey.L4Proto, Register.R1),
        PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.ForUnit(1)),
        new LookupExpression(map, Register.R1, Register.R1),
        NatExpressions.Redirect(Register.R1),
    };

    // fib daddr type local meta nfproto ipvX dnat ipX to meta l4proto . th dport map @m
    private static List<NftExpression> DnatMap(string map, System.Net.Sockets.AddressFamily family)
    {
        bool v4 = family == System.Net.Sockets.AddressFamily.InterNetwork;
        var list = new List<NftExpression>();
        list.AddRange(NatExpressions.DestinationIsLocal());
        list.AddRange(NatExpressions.Family(family));
        list.Add(MetaExpression.Load(MetaKey.L4Proto, Register.R1));
        list.Add(PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.ForUnit(1)));
        list.Add(new LookupExpression(map, Register.R1, Register.R1));
        // The value is address . port: IPv4 fills unit 0 and the port is unit 1; IPv6 fills units 0-3 and the port is unit 4.
        Register port = v4 ? Register.ForUnit(1) : Register.ForUnit(4);
        list.Add(new NatExpression(NatType.Dnat, v4 ? NetfilterFamily.IPv4 : NetfilterFamily.IPv6)
        {
            AddressMin = Register.R1,
            ProtoMin = port,
            Flags = NatRangeFlags.ProtoSpecified,
        });
        return list;
    }

    // ct status dnat meta nfproto ipvX meta l4proto . ct original proto-dst . ipX daddr . th dport @set masquerade:
    // the forward's public key as conntrack recorded it, then where it was sent. nft 1.0.6 lists
    // this rule in those words but cannot parse a concatenation with ct original proto-dst back.
    private static List<NftExpression> MasqueradeSet(string set, System.Net.Sockets.AddressFamily family)
    {
        bool v4 = family == System.Net.Sockets.AddressFamily.InterNetwork;
        var list = new List<NftExpression>();
        list.AddRange(NatExpressions.ConnectionWasDnated());
        list.AddRange(NatExpressions.Family(family));
        // Each field padded to 4 bytes: l4proto unit 0, proto-dst unit 1, the address from unit 2 (4 or 16 bytes), then the port.
        list.Add(MetaExpression.Load(MetaKey.L4Proto, Register.R1));
        list.Add(CtExpression.Load(CtKey.ProtoDestination, Register.ForUnit(1), CtDirection.Original));
        list.Add(PayloadExpression.Load(PayloadBase.Network, v4 ? 16u : 24u, v4 ? 4u : 16u, Register.ForUnit(2)));
        list.Add(PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.ForUnit(v4 ? 3 : 6)));
        list.Add(new LookupExpression(set, Register.R1));
        list.Add(NatExpressions.Masquerade(NatRangeFlags.None));
        return list;
    }
}
