using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Reads a rule's expressions the way the kernel runs them (nft_do_chain), following what each
/// register holds, and says which packets the rule matches and what it does with them
/// (<see cref="RuleAlternative"/>). Only what decides where a new connection goes is evaluated
/// exactly: IP version (<c>meta nfproto</c>, <c>meta protocol</c>, the table family), transport
/// protocol (<c>meta l4proto</c>, <c>ip protocol</c>, <c>ip6 nexthdr</c>), destination port
/// (cmp, range, sets, interval sets, concatenations, maps and verdict maps), interface names,
/// and <c>ct state</c> for the first packet of a connection. Anything else narrows the match.
/// </summary>
/// <remarks>
/// Expressions this class does not model are handled conservatively: they overwrite every
/// register (so nothing is read from a stale one), and the ones that are conditions by
/// themselves (limit, quota, connlimit, unknown kernel expressions) narrow the match, as do
/// xtables matches. xtables targets are read by name (iptables-nft keeps DNAT, REDIRECT,
/// MASQUERADE, REJECT... as <c>target</c> expressions).
/// </remarks>
internal static class RuleAnalyzer
{
    // uapi nf_conntrack_common.h: NF_CT_STATE_BIT(IP_CT_NEW) = 1 << (2 + 1), the bit of a new connection in ct state.
    private const uint CtStateNew = 8;
    // uapi netfilter.h NFPROTO_IPV4 / NFPROTO_IPV6; if_ether.h ETH_P_IP / ETH_P_IPV6.
    private const byte NfprotoIPv4 = 2;
    private const byte NfprotoIPv6 = 10;
    private const ushort EthernetIPv4 = 0x0800;
    private const ushort EthernetIPv6 = 0x86dd;
    // uapi nf_tables.h: NFT_REG32_00 is 8, the first of sixteen 4-byte registers.
    private const int FirstReg32 = 8;

    /// <summary>Expressions that are conditions by themselves: a packet may stop matching there.</summary>
    private static readonly HashSet<string> s_conditions = new(StringComparer.Ordinal) { "limit", "quota", "connlimit", "synproxy", "inner" };

    /// <summary>Expressions with no effect on where a packet goes (they count, log, mark, remember).</summary>
    private static readonly HashSet<string> s_effectless = new(StringComparer.Ordinal) { "counter", "log", "last", "dynset", "notrack", "objref", "dup", "flow_offload" };

    /// <summary>Expressions that load something into a register (their comparison narrows the match).</summary>
    private static readonly HashSet<string> s_loaders = new(StringComparer.Ordinal) { "rt", "socket", "hash", "numgen", "exthdr", "xfrm", "osf", "tunnel", "byteorder" };

    public static IReadOnlyList<RuleAlternative> Analyze(Rule rule, Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(rule);
        IpFamilies families = rule.Family switch
        {
            NetfilterFamily.IPv4 => IpFamilies.IPv4,
            NetfilterFamily.IPv6 => IpFamilies.IPv6,
            NetfilterFamily.Inet => IpFamilies.Both,
            _ => IpFamilies.None,
        };
        var paths = new List<PathState> { new() { Match = PacketMatch.Any with { Families = families } } };
        foreach (NftExpression expression in rule.Expressions)
        {
            var next = new List<PathState>(paths.Count);
            foreach (PathState path in paths)
            {
                if (path.Action is not null)
                {
                    next.Add(path);
                    continue;
                }
                foreach (PathState result in Step(path, expression, rule, ruleset))
                {
                    if (!result.Match.Impossible && !result.Dead)
                    {
                        next.Add(result);
                    }
                }
            }
            paths = next;
            if (paths.Count == 0)
            {
                break;
            }
        }
        var alternatives = new List<RuleAlternative>(paths.Count);
        foreach (PathState path in paths)
        {
            RuleAction action = path.Action ?? RuleAction.Continue;
            if (path.Tproxy && action.Kind is RuleActionKind.Continue or RuleActionKind.Accept)
            {
                action = new RuleAction(RuleActionKind.Tproxy, "tproxy");
            }
            alternatives.Add(new RuleAlternative(path.Match, action, rule, path.Element));
        }
        return alternatives;
    }

    private static IEnumerable<PathState> Step(PathState path, NftExpression expression, Rule rule, Ruleset ruleset)
    {
        switch (expression)
        {
            case MetaExpression meta:
                if (meta.Destination is Register metaDestination)
                {
                    (FieldKind kind, int length) = meta.Key switch
                    {
                        MetaKey.L4Proto => (FieldKind.L4Proto, 1),
                        MetaKey.NfProto => (FieldKind.NfProto, 1),
                        MetaKey.Protocol => (FieldKind.EtherType, 2),
                        MetaKey.InputInterfaceName => (FieldKind.InputInterfaceName, 16),
                        MetaKey.OutputInterfaceName => (FieldKind.OutputInterfaceName, 16),
                        _ => (FieldKind.Other, 4),
                    };
                    path.Load(metaDestination, kind, length, "meta " + MetaName(meta.Key));
                }
                yield return path;
                yield break;
            case PayloadExpression payload:
                if (payload.Destination is Register payloadDestination)
                {
                    (FieldKind payloadKind, string payloadName) = PayloadField(payload, path.Match.Families);
                    path.Load(payloadDestination, payloadKind, (int)payload.Length, payloadName);
                }
                yield return path;
                yield break;
            case CtExpression ct:
                if (ct.Destination is Register ctDestination)
                {
                    FieldKind ctKind = ct.Key switch
                    {
                        CtKey.State when ct.Direction is null => FieldKind.CtState,
                        CtKey.Status when ct.Direction is null => FieldKind.CtStatus,
                        _ => FieldKind.Other,
                    };
                    path.Load(ctDestination, ctKind, 4, "ct " + ct.Key.ToString().ToLowerInvariant());
                }
                yield return path;
                yield break;
            case BitwiseExpression bitwise:
                RegisterField source = path.Field(bitwise.Source);
                if (source.Kind is FieldKind.CtState or FieldKind.CtStatus && bitwise.Mask is NftData mask && mask.Length == 4 && bitwise.Xor is NftData xor && IsZero(xor))
                {
                    path.Load(bitwise.Destination, source.Kind, 4, source.Name, source.Mask & ReadHostUInt32(mask.Span));
                }
                else
                {
                    path.Load(bitwise.Destination, FieldKind.Other, Math.Max(4, (int)bitwise.Length), source.Name);
                }
                yield return path;
                yield break;
            case ImmediateExpression immediate:
                if (immediate.Verdict is Verdict verdict)
                {
                    if (verdict.Kind == VerdictKind.Break)
                    {
                        path.Dead = true;
                    }
                    else
                    {
                        path.Action = FromVerdict(verdict);
                    }
                }
                else if (immediate.Data is NftData data)
                {
                    path.Load(immediate.Destination, FieldKind.Other, Math.Max(1, data.Length), "a constant");
                }
                yield return path;
                yield break;
            case CmpExpression cmp:
                Compare(path, cmp);
                yield return path;
                yield break;
            case RangeExpression range:
                InRange(path, range);
                yield return path;
                yield break;
            case LookupExpression lookup:
                foreach (PathState result in Lookup(path, lookup, rule, ruleset))
                {
                    yield return result;
                }
                yield break;
            case NatExpression nat:
                path.Action = nat.Type == NatType.Dnat
                    ? new RuleAction(RuleActionKind.DestinationNat, "dnat")
                    : new RuleAction(RuleActionKind.SourceNat, "snat");
                yield return path;
                yield break;
            case RedirExpression:
                path.Action = new RuleAction(RuleActionKind.DestinationNat, "redirect");
                yield return path;
                yield break;
            case MasqExpression:
                path.Action = new RuleAction(RuleActionKind.SourceNat, "masquerade");
                yield return path;
                yield break;
            case TproxyExpression:
                // nft_tproxy_eval assigns the socket and lets the rule go on (mark, accept).
                path.Tproxy = true;
                yield return path;
                yield break;
            case FibExpression fib:
                string what = (fib.Flags & FibFlags.DestinationAddress) != 0 ? "daddr" : (fib.Flags & FibFlags.SourceAddress) != 0 ? "saddr" : "?";
                string fibResult = fib.Result switch
                {
                    FibResult.AddressType => "type",
                    FibResult.OutputInterface => "oif",
                    FibResult.OutputInterfaceName => "oifname",
                    _ => "result",
                };
                path.Load(fib.Destination, FieldKind.Other, fib.Result == FibResult.OutputInterfaceName ? 16 : 4, $"fib {what} {fibResult}");
                yield return path;
                yield break;
            case RejectExpression:
                path.Action = new RuleAction(RuleActionKind.Reject, "reject");
                yield return path;
                yield break;
            case QueueExpression:
                path.Action = new RuleAction(RuleActionKind.Queue, "queue");
                yield return path;
                yield break;
            case TargetExpression target:
                path.Action = FromXtablesTarget(target.TargetName);
                yield return path;
                yield break;
            case MatchExpression match:
                path.Match = path.Match.Narrow("iptables match " + match.MatchName);
                yield return path;
                yield break;
        }
        string name = expression.Name;
        if (!s_effectless.Contains(name))
        {
            // Whatever else this expression does, it may have written any register.
            path.Clobber(name);
            if (s_conditions.Contains(name) || !s_loaders.Contains(name))
            {
                path.Match = path.Match.Narrow(name);
            }
        }
        yield return path;
    }

    private static void Compare(PathState path, CmpExpression cmp)
    {
        RegisterField field = path.Field(cmp.Source);
        ReadOnlySpan<byte> data = cmp.Data.Span;
        PacketMatch m = path.Match;
        switch (field.Kind)
        {
            case FieldKind.DestinationPort when data.Length == 2:
                int port = BinaryPrimitives.ReadUInt16BigEndian(data);
                PortRanges ports = cmp.Operator switch
                {
                    CmpOperator.Equal => PortRanges.Of(port, port),
                    CmpOperator.NotEqual => PortRanges.All.Except(PortRanges.Of(port, port)),
                    CmpOperator.LessThan => PortRanges.Of(0, port - 1),
                    CmpOperator.LessThanOrEqual => PortRanges.Of(0, port),
                    CmpOperator.GreaterThan => PortRanges.Of(port + 1, 65535),
                    CmpOperator.GreaterThanOrEqual => PortRanges.Of(port, 65535),
                    _ => PortRanges.All,
                };
                path.Match = m with { Ports = m.Ports.Intersect(ports) };
                return;
            case FieldKind.L4Proto when data.Length == 1 && cmp.Operator is CmpOperator.Equal or CmpOperator.NotEqual:
                path.Match = cmp.Operator == CmpOperator.Equal ? m.WithProtocols(new[] { data[0] }) : m.WithoutProtocol(data[0]);
                return;
            case FieldKind.NfProto when data.Length == 1 && cmp.Operator is CmpOperator.Equal or CmpOperator.NotEqual:
                IpFamilies nf = data[0] == NfprotoIPv4 ? IpFamilies.IPv4 : data[0] == NfprotoIPv6 ? IpFamilies.IPv6 : IpFamilies.None;
                path.Match = m with { Families = m.Families & (cmp.Operator == CmpOperator.Equal ? nf : ~nf & IpFamilies.Both) };
                return;
            case FieldKind.EtherType when data.Length == 2 && cmp.Operator is CmpOperator.Equal or CmpOperator.NotEqual:
                ushort ethertype = BinaryPrimitives.ReadUInt16BigEndian(data);
                IpFamilies eth = ethertype == EthernetIPv4 ? IpFamilies.IPv4 : ethertype == EthernetIPv6 ? IpFamilies.IPv6 : IpFamilies.None;
                path.Match = m with { Families = m.Families & (cmp.Operator == CmpOperator.Equal ? eth : ~eth & IpFamilies.Both) };
                return;
            case FieldKind.InputInterfaceName or FieldKind.OutputInterfaceName when cmp.Operator == CmpOperator.Equal:
                string pattern = InterfacePattern(data);
                path.Match = field.Kind == FieldKind.InputInterfaceName
                    ? (m.InputInterface is null ? m with { InputInterface = pattern } : m.Narrow($"iifname \"{pattern}\""))
                    : (m.OutputInterface is null ? m with { OutputInterface = pattern } : m.Narrow($"oifname \"{pattern}\""));
                return;
            case FieldKind.CtState when data.Length == 4 && cmp.Operator is CmpOperator.Equal or CmpOperator.NotEqual:
                // The doctor follows the first packet of a new connection: ct state is "new".
                bool equal = (CtStateNew & field.Mask) == ReadHostUInt32(data);
                if (equal != (cmp.Operator == CmpOperator.Equal))
                {
                    path.Match = m with { Unmatchable = true };
                }
                return;
            case FieldKind.CtStatus when data.Length == 4 && cmp.Operator is CmpOperator.Equal or CmpOperator.NotEqual:
                // Evaluated per probe: whether the connection was translated depends on where it is.
                var test = new CtStatusTest(field.Mask, ReadHostUInt32(data) & field.Mask, cmp.Operator == CmpOperator.Equal);
                path.Match = m with { CtStatus = m.CtStatus.Append(test).ToArray() };
                return;
        }
        string what = field.Kind == FieldKind.Unknown ? "a register" : field.Name;
        path.Match = m.Narrow($"{what} {CmpExpression.OperatorName(cmp.Operator)} {cmp.Data.ToDebugString().Trim()}");
    }

    private static void InRange(PathState path, RangeExpression range)
    {
        RegisterField field = path.Field(range.Source);
        if (field.Kind == FieldKind.DestinationPort && range.From.Length == 2 && range.To.Length == 2)
        {
            PortRanges inside = PortRanges.Of(BinaryPrimitives.ReadUInt16BigEndian(range.From.Span), BinaryPrimitives.ReadUInt16BigEndian(range.To.Span));
            path.Match = path.Match with { Ports = range.Operator == RangeOperator.Equal ? path.Match.Ports.Intersect(inside) : path.Match.Ports.Except(inside) };
            return;
        }
        path.Match = path.Match.Narrow($"{field.Name} in a range");
    }

    private static IEnumerable<PathState> Lookup(PathState path, LookupExpression lookup, Rule rule, Ruleset ruleset)
    {
        Set? set = ruleset.Sets.FirstOrDefault(s => s.Family == rule.Family && s.Table == rule.Table && s.Name == lookup.Set);
        List<(RegisterField Field, int Offset)> key = path.KeyLayout(lookup.Source, set?.KeyLength ?? 4);
        if (set is null)
        {
            path.Match = path.Match.Narrow($"lookup in @{lookup.Set}");
            if (lookup.Destination is Register unknownDestination)
            {
                path.Load(unknownDestination, FieldKind.Other, 4, "a map value");
            }
            yield return path;
            yield break;
        }
        IReadOnlyList<SetElement> elements = ruleset.ElementsOf(set);
        bool isMap = lookup.Destination is not null;
        if (!isMap && key.Count == 1)
        {
            // A plain set of one field: a condition on that field, no fork.
            if (SetCondition(path, key[0].Field, set, elements, lookup.IsInverted))
            {
                yield return path;
            }
            yield break;
        }
        if (!isMap && lookup.IsInverted)
        {
            path.Match = path.Match.Narrow($"key not in @{set.Name}");
            yield return path;
            yield break;
        }
        // A map, a verdict map, or a set of concatenations: each element is a way through the rule.
        foreach (SetElement element in elements)
        {
            if (element.Flags is SetElementFlags flags && (flags & SetElementFlags.IntervalEnd) != 0)
            {
                continue;
            }
            PathState fork = path.Clone();
            bool catchAll = element.Flags is SetElementFlags f && (f & SetElementFlags.CatchAll) != 0;
            if (!catchAll)
            {
                foreach ((RegisterField field, int offset) in key)
                {
                    ApplyElementField(fork, field, element.Key, element.KeyEnd ?? element.Key, offset);
                }
            }
            if (lookup.Destination is Register destination)
            {
                fork.Element = element;
                if (destination.IsVerdict)
                {
                    if (element.Verdict is Verdict verdict)
                    {
                        if (verdict.Kind == VerdictKind.Break)
                        {
                            continue;
                        }
                        fork.Action = FromVerdict(verdict);
                    }
                }
                else
                {
                    fork.Load(destination, FieldKind.Other, (int)(set.DataLength ?? 4), "a map value");
                }
            }
            yield return fork;
        }
    }

    /// <summary>Applies a one-field set to the match; false when no packet can match.</summary>
    private static bool SetCondition(PathState path, RegisterField field, Set set, IReadOnlyList<SetElement> elements, bool inverted)
    {
        PacketMatch m = path.Match;
        switch (field.Kind)
        {
            case FieldKind.DestinationPort when field.Length == 2:
                PortRanges ports = PortsOf(set, elements);
                path.Match = m with { Ports = inverted ? m.Ports.Except(ports) : m.Ports.Intersect(ports) };
                return true;
            case FieldKind.L4Proto when !inverted:
                path.Match = m.WithProtocols(elements.Where(e => e.Key.Length >= 1).Select(e => e.Key.Span[0]).ToArray());
                return true;
            case FieldKind.NfProto when !inverted:
                IpFamilies families = IpFamilies.None;
                foreach (SetElement e in elements)
                {
                    families |= e.Key.Length >= 1 && e.Key.Span[0] == NfprotoIPv4 ? IpFamilies.IPv4 : e.Key.Length >= 1 && e.Key.Span[0] == NfprotoIPv6 ? IpFamilies.IPv6 : IpFamilies.None;
                }
                path.Match = m with { Families = m.Families & families };
                return true;
            case FieldKind.CtState when field.Mask == uint.MaxValue:
                bool contains = elements.Any(e => e.Key.Length == 4 && ReadHostUInt32(e.Key.Span) == CtStateNew);
                if (contains == inverted)
                {
                    path.Match = m with { Unmatchable = true };
                }
                return true;
            default:
                path.Match = m.Narrow($"{field.Name} {(inverted ? "not in" : "in")} @{set.Name}");
                return true;
        }
    }

    /// <summary>The ports of a one-field port set: single elements, or start/end elements of an interval set (nft's encoding).</summary>
    private static PortRanges PortsOf(Set set, IReadOnlyList<SetElement> elements)
    {
        var ranges = new List<(int, int)>();
        if ((set.Flags & SetFlags.Interval) == 0)
        {
            foreach (SetElement e in elements)
            {
                if (e.Key.Length >= 2)
                {
                    int first = BinaryPrimitives.ReadUInt16BigEndian(e.Key.Span);
                    int last = e.KeyEnd is { Length: >= 2 } end ? BinaryPrimitives.ReadUInt16BigEndian(end.Span) : first;
                    ranges.Add((first, last));
                }
            }
            return PortRanges.Union(ranges);
        }
        // Interval sets hold a start element per range and an end element (flag INTERVAL_END)
        // at the first port after it (nft's segtree encoding); the dump order is not sorted.
        var points = new List<(int Port, bool End)>();
        foreach (SetElement e in elements)
        {
            if (e.Key.Length < 2)
            {
                continue;
            }
            int port = BinaryPrimitives.ReadUInt16BigEndian(e.Key.Span);
            if (e.KeyEnd is { Length: >= 2 } keyEnd)
            {
                ranges.Add((port, BinaryPrimitives.ReadUInt16BigEndian(keyEnd.Span)));
                continue;
            }
            points.Add((port, e.Flags is SetElementFlags flags && (flags & SetElementFlags.IntervalEnd) != 0));
        }
        points.Sort((a, b) => a.Port != b.Port ? a.Port.CompareTo(b.Port) : a.End.CompareTo(b.End) * -1);
        int? open = null;
        foreach ((int port, bool end) in points)
        {
            if (end)
            {
                if (open is int start)
                {
                    ranges.Add((start, port - 1));
                    open = null;
                }
            }
            else
            {
                open ??= port;
            }
        }
        if (open is int last2)
        {
            ranges.Add((last2, 65535));
        }
        return PortRanges.Union(ranges);
    }

    private static void ApplyElementField(PathState path, RegisterField field, NftData key, NftData keyEnd, int offset)
    {
        if (offset + field.Length > key.Length || offset + field.Length > keyEnd.Length)
        {
            path.Match = path.Match.Narrow(field.Name);
            return;
        }
        ReadOnlySpan<byte> value = key.Span.Slice(offset, field.Length);
        ReadOnlySpan<byte> valueEnd = keyEnd.Span.Slice(offset, field.Length);
        PacketMatch m = path.Match;
        switch (field.Kind)
        {
            case FieldKind.DestinationPort when field.Length == 2:
                path.Match = m with { Ports = m.Ports.Intersect(PortRanges.Of(BinaryPrimitives.ReadUInt16BigEndian(value), BinaryPrimitives.ReadUInt16BigEndian(valueEnd))) };
                return;
            case FieldKind.L4Proto when value[0] == valueEnd[0]:
                path.Match = m.WithProtocols(new[] { value[0] });
                return;
            case FieldKind.NfProto when value[0] == valueEnd[0]:
                path.Match = m with { Families = m.Families & (value[0] == NfprotoIPv4 ? IpFamilies.IPv4 : value[0] == NfprotoIPv6 ? IpFamilies.IPv6 : IpFamilies.None) };
                return;
            case FieldKind.InputInterfaceName or FieldKind.OutputInterfaceName when value.SequenceEqual(valueEnd):
                string pattern = InterfacePattern(value);
                path.Match = field.Kind == FieldKind.InputInterfaceName ? m with { InputInterface = pattern } : m with { OutputInterface = pattern };
                return;
            case FieldKind.CtState when field.Length == 4 && value.SequenceEqual(valueEnd):
                if ((CtStateNew & field.Mask) != ReadHostUInt32(value))
                {
                    path.Match = m with { Unmatchable = true };
                }
                return;
            default:
                path.Match = m.Narrow(field.Name);
                return;
        }
    }

    private static (FieldKind Kind, string Name) PayloadField(PayloadExpression payload, IpFamilies families)
    {
        switch (payload.Base)
        {
            case PayloadBase.Transport:
                return (payload.Offset, payload.Length) switch
                {
                    (2, 2) => (FieldKind.DestinationPort, "th dport"),
                    (0, 2) => (FieldKind.Other, "th sport"),
                    _ => (FieldKind.Other, $"transport header + {payload.Offset}"),
                };
            case PayloadBase.Network when families == IpFamilies.IPv4:
                return (payload.Offset, payload.Length) switch
                {
                    (9, 1) => (FieldKind.L4Proto, "ip protocol"),
                    (12, 4) => (FieldKind.Other, "ip saddr"),
                    (16, 4) => (FieldKind.Other, "ip daddr"),
                    _ => (FieldKind.Other, $"ip header + {payload.Offset}"),
                };
            case PayloadBase.Network when families == IpFamilies.IPv6:
                return (payload.Offset, payload.Length) switch
                {
                    (6, 1) => (FieldKind.L4Proto, "ip6 nexthdr"),
                    (8, 16) => (FieldKind.Other, "ip6 saddr"),
                    (24, 16) => (FieldKind.Other, "ip6 daddr"),
                    _ => (FieldKind.Other, $"ip6 header + {payload.Offset}"),
                };
            default:
                return (FieldKind.Other, $"{payload.Base.ToString().ToLowerInvariant()} header + {payload.Offset}");
        }
    }

    private static RuleAction FromVerdict(Verdict verdict) => verdict.Kind switch
    {
        VerdictKind.Accept => new RuleAction(RuleActionKind.Accept, "accept"),
        VerdictKind.Drop => new RuleAction(RuleActionKind.Drop, "drop"),
        VerdictKind.Stolen => new RuleAction(RuleActionKind.Drop, "stolen"),
        VerdictKind.Queue => new RuleAction(RuleActionKind.Queue, "queue"),
        VerdictKind.Jump => new RuleAction(RuleActionKind.Jump, "jump " + verdict.Chain, verdict.Chain),
        VerdictKind.Goto => new RuleAction(RuleActionKind.Goto, "goto " + verdict.Chain, verdict.Chain),
        VerdictKind.Return => new RuleAction(RuleActionKind.Return, "return"),
        _ => RuleAction.Continue,
    };

    /// <summary>xtables targets that iptables-nft keeps as <c>target</c> expressions (names as in the kernel's xt modules).</summary>
    private static RuleAction FromXtablesTarget(string? name) => name switch
    {
        "DNAT" or "REDIRECT" or "NETMAP" => new RuleAction(RuleActionKind.DestinationNat, $"iptables {name}"),
        "SNAT" or "MASQUERADE" => new RuleAction(RuleActionKind.SourceNat, $"iptables {name}"),
        "REJECT" => new RuleAction(RuleActionKind.Reject, "iptables REJECT"),
        "TPROXY" => new RuleAction(RuleActionKind.Tproxy, "iptables TPROXY"),
        "NFQUEUE" => new RuleAction(RuleActionKind.Queue, "iptables NFQUEUE"),
        // MARK, LOG, CT, CONNMARK, TCPMSS, ...: XT_CONTINUE, the next rule runs.
        _ => RuleAction.Continue,
    };

    /// <summary>An interface name as meta iifname compares it: 16 NUL-padded bytes exactly, or fewer bytes for a "prefix*" match.</summary>
    private static string InterfacePattern(ReadOnlySpan<byte> data)
    {
        int nul = data.IndexOf((byte)0);
        string name = Encoding.ASCII.GetString(nul >= 0 ? data.Slice(0, nul) : data);
        return nul >= 0 || data.Length >= 16 ? name : name + "*";
    }

    private static string MetaName(MetaKey key) => key switch
    {
        MetaKey.InputInterfaceName => "iifname",
        MetaKey.OutputInterfaceName => "oifname",
        MetaKey.InputInterface => "iif",
        MetaKey.OutputInterface => "oif",
        MetaKey.L4Proto => "l4proto",
        MetaKey.NfProto => "nfproto",
        _ => key.ToString().ToLowerInvariant(),
    };

    private static bool IsZero(NftData data)
    {
        foreach (byte b in data.Span)
        {
            if (b != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static uint ReadHostUInt32(ReadOnlySpan<byte> bytes) => HostOrder.ReadUInt32(bytes);

    internal enum FieldKind
    {
        Unknown,
        L4Proto,
        DestinationPort,
        NfProto,
        EtherType,
        InputInterfaceName,
        OutputInterfaceName,
        CtState,
        CtStatus,
        Other,
    }

    /// <summary>What a 4-byte register unit holds: part of a field that starts at <see cref="Start"/>.</summary>
    internal readonly record struct RegisterField(FieldKind Kind, int Length, int Start, string Name, uint Mask);

    /// <summary>One way through the rule so far: the conditions, the registers, the action once one is set.</summary>
    private sealed class PathState
    {
        private RegisterField[] _units = new RegisterField[16];

        public PacketMatch Match { get; set; } = PacketMatch.Any;

        public RuleAction? Action { get; set; }

        public SetElement? Element { get; set; }

        public bool Tproxy { get; set; }

        /// <summary>The rule stopped matching here (NFT_BREAK).</summary>
        public bool Dead { get; set; }

        public PathState Clone() => new()
        {
            _units = (RegisterField[])_units.Clone(),
            Match = Match,
            Action = Action,
            Element = Element,
            Tproxy = Tproxy,
            Dead = Dead,
        };

        /// <summary>The 4-byte unit a register starts at (NFT_REG_1..4 are 16 bytes, NFT_REG32_00..15 are 4); -1 for the verdict register.</summary>
        private static int UnitOf(Register register) =>
            register.Is128Bit ? ((int)register.Raw - 1) * 4 : register.Is32Bit ? (int)register.Raw - FirstReg32 : -1;

        public void Load(Register register, FieldKind kind, int length, string name, uint mask = uint.MaxValue)
        {
            int unit = UnitOf(register);
            if (unit < 0)
            {
                return;
            }
            int units = Math.Max(1, (length + 3) / 4);
            for (int i = 0; i < units && unit + i < _units.Length; i++)
            {
                _units[unit + i] = new RegisterField(kind, length, unit, name, mask);
            }
        }

        public RegisterField Field(Register register)
        {
            int unit = UnitOf(register);
            if (unit < 0)
            {
                return new RegisterField(FieldKind.Unknown, 0, 0, "the verdict register", 0);
            }
            RegisterField field = _units[unit];
            if (field.Kind == FieldKind.Unknown)
            {
                return field with { Name = "register " + register.Raw.ToString(CultureInfo.InvariantCulture) };
            }
            // Comparing from the middle of a field compares something else.
            return field.Start == unit ? field : field with { Kind = FieldKind.Other };
        }

        /// <summary>The fields of a lookup key of <paramref name="keyLength"/> bytes starting at <paramref name="register"/>, with their byte offsets in the key.</summary>
        public List<(RegisterField Field, int Offset)> KeyLayout(Register register, uint keyLength)
        {
            var fields = new List<(RegisterField, int)>();
            int first = UnitOf(register);
            if (first < 0)
            {
                return fields;
            }
            int units = (int)Math.Max(1, (keyLength + 3) / 4);
            int unit = first;
            while (unit < first + units && unit < _units.Length)
            {
                RegisterField field = _units[unit];
                if (field.Kind == FieldKind.Unknown || field.Start != unit)
                {
                    field = new RegisterField(FieldKind.Other, 4, unit, field.Kind == FieldKind.Unknown ? "part of the key" : field.Name, uint.MaxValue);
                }
                fields.Add((field, (unit - first) * 4));
                unit += Math.Max(1, (field.Length + 3) / 4);
            }
            return fields;
        }

        public void Clobber(string name)
        {
            for (int i = 0; i < _units.Length; i++)
            {
                _units[i] = new RegisterField(FieldKind.Other, 4, i, name, uint.MaxValue);
            }
        }
    }
}
