using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Nat;

/// <summary>
/// The fixed shape of a NAT table: maps for plain forwards (one lookup per packet however many
/// there are), regular chains for rules with extra conditions, and the base chains that tie
/// them to the hooks.
/// <code>
/// table inet NAME {
///   map redirect_pre, redirect_out { inet_proto . inet_service : inet_service }
///   map dnat4_pre, dnat4_out       { inet_proto . inet_service : ipv4_addr . inet_service }
///   map dnat6_pre, dnat6_out       { inet_proto . inet_service : ipv6_addr . inet_service }
///   set masq4 { ipv4_addr . inet_proto . inet_service }   set masq6 { ipv6_addr . ... }
///   chain pre_rules / out_rules / post_rules               (conditional rules, in order)
///   chain prerouting  { nat hook prerouting priority dstnat;  jump pre_rules;  map lookups }
///   chain output      { nat hook output priority dstnat;      jump out_rules;  map lookups }
///   chain postrouting { nat hook postrouting priority srcnat; jump post_rules; masquerade lookups }
///   chain tproxy      { filter hook prerouting priority mangle }
/// }
/// </code>
/// Layout rules carry comments starting with <see cref="LayoutCommentPrefix"/>; typed rules carry their canonical text.
/// </summary>
internal static class NatTableLayout
{
    public const string LayoutCommentPrefix = "nfnet layout:";

    public const string Prerouting = "prerouting";
    public const string Output = "output";
    public const string Postrouting = "postrouting";
    public const string Tproxy = "tproxy";
    public const string PreRules = "pre_rules";
    public const string OutRules = "out_rules";
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

    /// <summary>The regular chains typed rules compile into.</summary>
    public static readonly string[] RuleChains = { PreRules, OutRules, PostRules, Tproxy };

    /// <summary>The maps and sets typed rules put elements in.</summary>
    public static readonly string[] Sets = { RedirectPre, RedirectOut, Dnat4Pre, Dnat4Out, Dnat6Pre, Dnat6Out, Masq4, Masq6 };

    private static readonly uint ProtoService = SetDataTypes.Concat(SetDataTypes.InetProtocol, SetDataTypes.InetService);

    public static IEnumerable<Set> SetDefinitions(string table)
    {
        yield return Map(table, RedirectPre, SetDataTypes.InetService, 2);
        yield return Map(table, RedirectOut, SetDataTypes.InetService, 2);
        yield return Map(table, Dnat4Pre, SetDataTypes.Concat(SetDataTypes.IPv4Address, SetDataTypes.InetService), 8);
        yield return Map(table, Dnat4Out, SetDataTypes.Concat(SetDataTypes.IPv4Address, SetDataTypes.InetService), 8);
        yield return Map(table, Dnat6Pre, SetDataTypes.Concat(SetDataTypes.IPv6Address, SetDataTypes.InetService), 20);
        yield return Map(table, Dnat6Out, SetDataTypes.Concat(SetDataTypes.IPv6Address, SetDataTypes.InetService), 20);
        yield return new Set(ProtocolFamily.Inet, table, Masq4)
        {
            KeyType = SetDataTypes.Concat(SetDataTypes.IPv4Address, SetDataTypes.InetProtocol, SetDataTypes.InetService),
            KeyLength = 12,
        };
        yield return new Set(ProtocolFamily.Inet, table, Masq6)
        {
            KeyType = SetDataTypes.Concat(SetDataTypes.IPv6Address, SetDataTypes.InetProtocol, SetDataTypes.InetService),
            KeyLength = 24,
        };
    }

    private static Set Map(string table, string name, uint dataType, uint dataLength) => new(ProtocolFamily.Inet, table, name)
    {
        Flags = SetFlags.Map,
        KeyType = ProtoService,
        KeyLength = 8,
        DataType = dataType,
        DataLength = dataLength,
    };

    public static IEnumerable<Chain> ChainDefinitions(string table)
    {
        yield return new Chain(ProtocolFamily.Inet, table, PreRules);
        yield return new Chain(ProtocolFamily.Inet, table, OutRules);
        yield return new Chain(ProtocolFamily.Inet, table, PostRules);
        yield return Base(table, Prerouting, ChainHooks.Prerouting, ChainPriorities.DestinationNat, "nat");
        yield return Base(table, Output, ChainHooks.Output, ChainPriorities.DestinationNat, "nat");
        yield return Base(table, Postrouting, ChainHooks.Postrouting, ChainPriorities.SourceNat, "nat");
        yield return Base(table, Tproxy, ChainHooks.Prerouting, ChainPriorities.Mangle, "filter");
    }

    private static Chain Base(string table, string name, uint hook, int priority, string type) => new(ProtocolFamily.Inet, table, name)
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
        yield return LayoutRule(table, Postrouting, "jump " + PostRules, new NftExpression[] { new ImmediateExpression(Verdict.JumpTo(PostRules)) });
        yield return LayoutRule(table, Postrouting, "masquerade @" + Masq4, MasqueradeSet(Masq4, System.Net.Sockets.AddressFamily.InterNetwork));
        yield return LayoutRule(table, Postrouting, "masquerade @" + Masq6, MasqueradeSet(Masq6, System.Net.Sockets.AddressFamily.InterNetworkV6));
    }

    private static Rule LayoutRule(string table, string chain, string what, IReadOnlyList<NftExpression> expressions) =>
        new Rule(ProtocolFamily.Inet, table, chain, expressions).WithComment(LayoutCommentPrefix + " " + what);

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
        list.Add(new NatExpression(NatType.Dnat, v4 ? ProtocolFamily.IPv4 : ProtocolFamily.IPv6)
        {
            AddressMin = Register.R1,
            ProtoMin = port,
            Flags = NatRangeFlags.ProtoSpecified,
        });
        return list;
    }

    // ct status dnat meta nfproto ipvX ipX daddr . meta l4proto . th dport @set masquerade
    private static List<NftExpression> MasqueradeSet(string set, System.Net.Sockets.AddressFamily family)
    {
        bool v4 = family == System.Net.Sockets.AddressFamily.InterNetwork;
        var list = new List<NftExpression>();
        list.AddRange(NatExpressions.ConnectionWasDnated());
        list.AddRange(NatExpressions.Family(family));
        list.Add(PayloadExpression.Load(PayloadBase.Network, v4 ? 16u : 24u, v4 ? 4u : 16u, Register.R1));
        int unit = v4 ? 1 : 4;
        list.Add(MetaExpression.Load(MetaKey.L4Proto, Register.ForUnit(unit)));
        list.Add(PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.ForUnit(unit + 1)));
        list.Add(new LookupExpression(set, Register.R1));
        list.Add(NatExpressions.Masquerade(NatRangeFlags.None));
        return list;
    }
}
