using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Nat;

/// <summary>
/// Compiles typed rules into the NAT table's layout (<see cref="NatTableLayout"/>). Plain
/// redirects and forwards become map elements; anything with extra conditions becomes rules, one
/// per protocol and source prefix. Every rule and element carries the typed rule's canonical text
/// as its comment, which is how read-back recovers the typed rule exactly, and matches only
/// packets of that rule's claim: two rules that do not conflict never compile to the same piece.
/// The pieces that translate the rule's own claim count what they translate (layout 3): map
/// elements carry a counter expression, rules a <c>counter</c> right before their translation;
/// return-path pieces (masquerade elements, post_forward rules) carry none.
/// </summary>
internal static class NatRuleCompiler
{
    /// <summary>Compiles <paramref name="rule"/> for table <paramref name="table"/>. <paramref name="connectedNetwork"/> finds the directly connected network of an address (for hairpin).</summary>
    public static CompiledNatRule Compile(string table, NatRule rule, Func<IPAddress, IPNetwork?> connectedNetwork)
    {
        var compiled = new CompiledNatRule(rule);
        string comment = rule.Text;
        switch (rule)
        {
            case RedirectRule r: CompileRedirect(table, r, comment, compiled); break;
            case DnatRule d: CompileDnat(table, d, comment, compiled, connectedNetwork); break;
            case SnatRule s: CompileSnat(table, s, comment, compiled); break;
            case MasqueradeRule m: CompileMasquerade(table, m, comment, compiled); break;
            case TproxyRule t: CompileTproxy(table, t, comment, compiled); break;
            default: throw new ArgumentException($"unknown rule type {rule.GetType().Name}", nameof(rule));
        }
        return compiled;
    }

    private static void CompileRedirect(string table, RedirectRule rule, string comment, CompiledNatRule compiled)
    {
        ReadOnlySpan<byte> protocols = rule.Protocol.Numbers();
        if (rule.IsPlain)
        {
            foreach (byte protocol in protocols)
            {
                SetElement element = CountedElement(Key(protocol, rule.Ports.First), NftData.FromPort(rule.ToPort), comment);
                compiled.Elements.Add((NatTableLayout.RedirectPre, element));
                if (rule.IncludeLocal)
                {
                    compiled.Elements.Add((NatTableLayout.RedirectOut, element));
                }
            }
            return;
        }
        foreach (byte protocol in protocols)
        {
            foreach (IPNetwork? source in SourcesOrAll(rule.Sources))
            {
                compiled.Rules.Add(Rule(table, NatTableLayout.PreRules, Build(rule.InputInterface), comment));
                if (rule.IncludeLocal)
                {
                    // Locally generated packets have no input interface: the output chain does not match one.
                    compiled.Rules.Add(Rule(table, NatTableLayout.OutRules, Build(null), comment));
                }

                List<NftExpression> Build(string? inputInterface)
                {
                    var expressions = new List<NftExpression>();
                    Match(expressions, inputInterface, Family(rule.Destination, source), rule.Destination, source);
                    expressions.AddRange(NatExpressions.L4Proto(protocol));
                    expressions.AddRange(NatExpressions.DestinationPort(rule.Ports));
                    expressions.Add(NatExpressions.Counter());
                    expressions.Add(new ImmediateExpression(Register.R1, NftData.FromPort(rule.ToPort)));
                    expressions.Add(NatExpressions.Redirect(Register.R1));
                    return expressions;
                }
            }
        }
    }

    private static void CompileDnat(string table, DnatRule rule, string comment, CompiledNatRule compiled, Func<IPAddress, IPNetwork?> connectedNetwork)
    {
        ReadOnlySpan<byte> protocols = rule.Protocol.Numbers();
        AddressFamily family = rule.ToAddress.AddressFamily;
        bool v4 = family == AddressFamily.InterNetwork;
        if (rule.IsPlain)
        {
            PortRange ports = rule.Ports!.Value;
            int targetPort = rule.TargetPortFor(ports.First);
            foreach (byte protocol in protocols)
            {
                SetElement element = CountedElement(Key(protocol, ports.First), Target(rule.ToAddress, targetPort), comment);
                compiled.Elements.Add((v4 ? NatTableLayout.Dnat4Pre : NatTableLayout.Dnat6Pre, element));
                if (rule.IncludeLocal)
                {
                    compiled.Elements.Add((v4 ? NatTableLayout.Dnat4Out : NatTableLayout.Dnat6Out, element));
                }
                if (rule.Masquerade)
                {
                    compiled.Elements.Add((v4 ? NatTableLayout.Masq4 : NatTableLayout.Masq6, Element(MasqueradeKey(protocol, ports.First, rule.ToAddress, targetPort), null, comment)));
                }
            }
        }
        else
        {
            foreach (byte protocol in protocols)
            {
                foreach (IPNetwork? source in SourcesOrAll(rule.Sources))
                {
                    compiled.Rules.Add(Rule(table, NatTableLayout.PreRules, Build(rule.InputInterface), comment));
                    if (rule.IncludeLocal)
                    {
                        compiled.Rules.Add(Rule(table, NatTableLayout.OutRules, Build(null), comment));
                    }

                    List<NftExpression> Build(string? inputInterface)
                    {
                        var expressions = new List<NftExpression>();
                        if (rule.Destination is null)
                        {
                            expressions.AddRange(NatExpressions.DestinationIsLocal());
                        }
                        Match(expressions, inputInterface, family, rule.Destination, source);
                        expressions.AddRange(NatExpressions.L4Proto(protocol));
                        if (rule.Ports is PortRange ports)
                        {
                            expressions.AddRange(NatExpressions.DestinationPort(ports));
                        }
                        expressions.Add(NatExpressions.Counter());
                        expressions.Add(new ImmediateExpression(Register.R1, NftData.FromIPAddress(rule.ToAddress)));
                        NatRangeFlags flags = NatRangeFlags.None;
                        Register? protoMin = null, protoMax = null;
                        if (rule.ToPorts is PortRange to)
                        {
                            expressions.Add(new ImmediateExpression(Register.R2, NftData.FromPort(to.First)));
                            protoMin = Register.R2;
                            if (!to.IsSingle)
                            {
                                expressions.Add(new ImmediateExpression(Register.R3, NftData.FromPort(to.Last)));
                                protoMax = Register.R3;
                            }
                            flags |= NatRangeFlags.ProtoSpecified;
                        }
                        if (rule.Persistent) flags |= NatRangeFlags.Persistent;
                        if (rule.Random) flags |= NatRangeFlags.ProtoRandom;
                        expressions.Add(new NatExpression(NatType.Dnat, v4 ? NetfilterFamily.IPv4 : NetfilterFamily.IPv6)
                        {
                            AddressMin = Register.R1,
                            ProtoMin = protoMin,
                            ProtoMax = protoMax,
                            Flags = flags == NatRangeFlags.None ? null : flags,
                        });
                        return expressions;
                    }

                    if (rule.Masquerade)
                    {
                        compiled.Rules.Add(Rule(table, NatTableLayout.PostForward, ReturnPathMasquerade(rule, protocol, source, null), comment));
                    }
                }
            }
        }
        if (rule.Hairpin)
        {
            IPNetwork network = connectedNetwork(rule.ToAddress)
                ?? throw new InvalidOperationException($"hairpin for {rule}: no directly connected network of this host contains {rule.ToAddress}, so clients beside the server cannot be told apart; hairpin is only needed when the server is on a network this host is attached to");
            foreach (byte protocol in protocols)
            {
                foreach (IPNetwork? source in SourcesOrAll(rule.Sources))
                {
                    compiled.Rules.Add(Rule(table, NatTableLayout.PostForward, ReturnPathMasquerade(rule, protocol, source, network), comment));
                }
            }
        }
    }

    /// <summary>
    /// The masquerade of one forward's own connections, matched through conntrack by the
    /// forward's public claim and by the target they were sent to:
    /// <c>ct status dnat meta nfproto F [ip saddr NET] [ct original ip daddr D] [ct original ip saddr S]
    /// meta l4proto P [ct original proto-dst PUBLIC] ip daddr T [th dport TP] masquerade</c>.
    /// With <paramref name="clients"/> it is the hairpin rule: only clients on the server's network.
    /// </summary>
    private static List<NftExpression> ReturnPathMasquerade(DnatRule rule, byte protocol, IPNetwork? source, IPNetwork? clients)
    {
        var expressions = new List<NftExpression>();
        expressions.AddRange(NatExpressions.ConnectionWasDnated());
        expressions.AddRange(NatExpressions.Family(rule.ToAddress.AddressFamily));
        if (clients is IPNetwork c)
        {
            expressions.AddRange(NatExpressions.SourcePrefix(c));
        }
        if (rule.Destination is not null)
        {
            expressions.AddRange(NatExpressions.OriginalAddress(source: false, new IPNetwork(rule.Destination, rule.IsIPv6 ? 128 : 32)));
        }
        if (source is IPNetwork s)
        {
            expressions.AddRange(NatExpressions.OriginalAddress(source: true, s));
        }
        expressions.AddRange(NatExpressions.L4Proto(protocol));
        if (rule.Ports is PortRange ports)
        {
            expressions.AddRange(NatExpressions.OriginalDestinationPort(ports));
        }
        expressions.AddRange(NatExpressions.DestinationAddress(rule.ToAddress));
        if (rule.TargetPorts is PortRange target)
        {
            expressions.AddRange(NatExpressions.DestinationPort(target));
        }
        expressions.Add(NatExpressions.Masquerade(NatRangeFlags.None));
        return expressions;
    }

    /// <summary>
    /// The hairpin network a compiled hairpin rule of <see cref="ReturnPathMasquerade"/> matches
    /// (its <c>ip saddr NET</c>), or null when <paramref name="rule"/> is not one. Reading it back
    /// is how a table read from the kernel recompiles a hairpin forward exactly as it was written.
    /// </summary>
    internal static IPNetwork? HairpinNetwork(Rule rule)
    {
        IReadOnlyList<NftExpression> e = rule.Expressions;
        for (int i = 0; i + 1 < e.Count; i++)
        {
            if (e[i] is PayloadExpression { Base: PayloadBase.Network } load && ((load.Offset == 12 && load.Length == 4) || (load.Offset == 8 && load.Length == 16)))
            {
                byte[]? mask = null;
                int next = i + 1;
                if (e[next] is BitwiseExpression bitwise && bitwise.Mask is NftData m)
                {
                    mask = m.Span.ToArray();
                    next++;
                }
                if (next < e.Count && e[next] is CmpExpression { Operator: CmpOperator.Equal } cmp && cmp.Data.Length == load.Length)
                {
                    var address = new IPAddress(cmp.Data.Span);
                    int length = mask is null ? (int)load.Length * 8 : CountBits(mask);
                    return new IPNetwork(address, length);
                }
                return null;
            }
        }
        return null;
    }

    private static int CountBits(byte[] mask)
    {
        int n = 0;
        foreach (byte b in mask)
        {
            n += System.Numerics.BitOperations.PopCount(b);
        }
        return n;
    }

    /// <summary>A masq4/masq6 key: protocol . public port . target address . target port, each field padded to 4 bytes.</summary>
    internal static NftData MasqueradeKey(byte protocol, int publicPort, IPAddress target, int targetPort) =>
        new NftConcatWriter(stackalloc byte[28]).Byte(protocol).Port(publicPort).Address(target).Port(targetPort).ToData();

    private static void CompileSnat(string table, SnatRule rule, string comment, CompiledNatRule compiled)
    {
        AddressFamily family = rule.ToAddress.AddressFamily;
        bool v4 = family == AddressFamily.InterNetwork;
        foreach (IPNetwork? source in SourcesOrAll(rule.Sources))
        {
            var expressions = new List<NftExpression>();
            if (rule.OutputInterface is not null)
            {
                expressions.AddRange(NatExpressions.InterfaceName(MetaKey.OutputInterfaceName, rule.OutputInterface));
            }
            Match(expressions, inputInterface: null, family: family, destination: null, source: source);
            expressions.Add(NatExpressions.Counter());
            expressions.Add(new ImmediateExpression(Register.R1, NftData.FromIPAddress(rule.ToAddress)));
            var nat = new NatExpression(NatType.Snat, v4 ? NetfilterFamily.IPv4 : NetfilterFamily.IPv6) { AddressMin = Register.R1 };
            if (rule.ToAddressLast is not null)
            {
                expressions.Add(new ImmediateExpression(Register.R2, NftData.FromIPAddress(rule.ToAddressLast)));
                nat = new NatExpression(NatType.Snat, nat.Family) { AddressMin = Register.R1, AddressMax = Register.R2 };
            }
            expressions.Add(nat);
            compiled.Rules.Add(Rule(table, NatTableLayout.PostRules, expressions, comment));
        }
    }

    private static void CompileMasquerade(string table, MasqueradeRule rule, string comment, CompiledNatRule compiled)
    {
        NatRangeFlags flags = NatRangeFlags.None;
        if (rule.Random) flags |= NatRangeFlags.ProtoRandom;
        if (rule.FullyRandom) flags |= NatRangeFlags.ProtoRandomFully;
        foreach (IPNetwork? source in SourcesOrAll(rule.Sources))
        {
            var expressions = new List<NftExpression>();
            if (rule.OutputInterface is not null)
            {
                expressions.AddRange(NatExpressions.InterfaceName(MetaKey.OutputInterfaceName, rule.OutputInterface));
            }
            if (source is IPNetwork s)
            {
                expressions.AddRange(NatExpressions.Family(s.BaseAddress.AddressFamily));
                expressions.AddRange(NatExpressions.SourcePrefix(s));
            }
            expressions.Add(NatExpressions.Counter());
            expressions.Add(NatExpressions.Masquerade(flags));
            compiled.Rules.Add(Rule(table, NatTableLayout.PostRules, expressions, comment));
        }
    }

    private static void CompileTproxy(string table, TproxyRule rule, string comment, CompiledNatRule compiled)
    {
        foreach (byte protocol in rule.Protocol.Numbers())
        {
            var expressions = new List<NftExpression>();
            NetfilterFamily? family = null;
            if (rule.ToAddress is not null)
            {
                expressions.AddRange(NatExpressions.Family(rule.ToAddress.AddressFamily));
                family = rule.ToAddress.AddressFamily == AddressFamily.InterNetwork ? NetfilterFamily.IPv4 : NetfilterFamily.IPv6;
            }
            expressions.AddRange(NatExpressions.L4Proto(protocol));
            expressions.AddRange(NatExpressions.DestinationPort(rule.Ports));
            expressions.Add(NatExpressions.Counter());
            Register? address = null;
            if (rule.ToAddress is not null)
            {
                expressions.Add(new ImmediateExpression(Register.R1, NftData.FromIPAddress(rule.ToAddress)));
                address = Register.R1;
            }
            expressions.Add(new ImmediateExpression(Register.R2, NftData.FromPort(rule.ToPort)));
            expressions.Add(NatExpressions.Tproxy(family, address, Register.R2));
            expressions.Add(new ImmediateExpression(Register.R1, NftData.FromHostUInt32(rule.Mark)));
            expressions.Add(MetaExpression.Set(MetaKey.Mark, Register.R1));
            expressions.Add(new ImmediateExpression(Verdict.Accept));
            compiled.Rules.Add(Rule(table, NatTableLayout.Tproxy, expressions, comment));
        }
    }

    /// <summary>The common match prefix: input interface, family, destination address, source prefix.</summary>
    private static void Match(List<NftExpression> expressions, string? inputInterface, AddressFamily? family, IPAddress? destination, IPNetwork? source)
    {
        if (inputInterface is not null)
        {
            expressions.AddRange(NatExpressions.InterfaceName(MetaKey.InputInterfaceName, inputInterface));
        }
        if (family is AddressFamily f)
        {
            expressions.AddRange(NatExpressions.Family(f));
        }
        if (destination is not null)
        {
            expressions.AddRange(NatExpressions.DestinationAddress(destination));
        }
        if (source is IPNetwork s)
        {
            expressions.AddRange(NatExpressions.SourcePrefix(s));
        }
    }

    private static AddressFamily? Family(IPAddress? destination, IPNetwork? source) =>
        destination?.AddressFamily ?? (source is IPNetwork s ? s.BaseAddress.AddressFamily : null);

    private static IEnumerable<IPNetwork?> SourcesOrAll(IReadOnlyList<IPNetwork> sources)
    {
        if (sources.Count == 0)
        {
            yield return null;
            yield break;
        }
        foreach (IPNetwork s in sources)
        {
            yield return s;
        }
    }

    /// <summary>A map key: protocol . port, each padded to 4 bytes.</summary>
    /// <summary>A forward map's value: <c>ADDRESS . PORT</c>.</summary>
    private static NftData Target(IPAddress address, int port) => new NftConcatWriter(stackalloc byte[20]).Address(address).Port(port).ToData();

    internal static NftData Key(byte protocol, int port) => new NftConcatWriter(stackalloc byte[8]).Byte(protocol).Port(port).ToData();

    private static SetElement Element(NftData key, NftData? data, string comment) => new(key)
    {
        Data = data,
        UserData = UserData.Comment(comment),
    };

    /// <summary>
    /// An element of a counted map, with its own counter (NFTA_SET_ELEM_EXPR, Linux 5.7): the map's
    /// set expression gives new elements one only from Linux 5.12, so each element asks for it.
    /// </summary>
    private static SetElement CountedElement(NftData key, NftData data, string comment) => new(key)
    {
        Data = data,
        UserData = UserData.Comment(comment),
        Expressions = NatTableLayout.ElementCounter(),
    };

    private static Rule Rule(string table, string chain, List<NftExpression> expressions, string comment) =>
        new Rule(NetfilterFamily.Inet, table, chain, expressions).WithComment(comment);
}
