using System;
using System.Buffers.Binary;
using System.Linq;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Conditions on what a register holds (cmp, range, and one field of a set or map element): the
/// ones on IP version, transport protocol, destination port, interface names and ct state are
/// evaluated exactly (<see cref="PacketMatch"/>); any other narrows the match.
/// </summary>
internal static class FieldConditions
{
    // uapi nf_conntrack_common.h: NF_CT_STATE_BIT(IP_CT_NEW) = 1 << (2 + 1), the bit of a new connection in ct state.
    internal const uint CtStateNew = 8;
    // uapi netfilter.h NFPROTO_IPV4 / NFPROTO_IPV6; if_ether.h ETH_P_IP / ETH_P_IPV6.
    private const byte NfprotoIPv4 = 2;
    private const byte NfprotoIPv6 = 10;
    private const ushort EthernetIPv4 = 0x0800;
    private const ushort EthernetIPv6 = 0x86dd;

    /// <summary>Applies cmp, range and xtables matches; false for any other expression.</summary>
    public static bool TryApply(PathState path, NftExpression expression)
    {
        switch (expression)
        {
            case CmpExpression cmp:
                Compare(path, cmp);
                return true;
            case RangeExpression range:
                InRange(path, range);
                return true;
            case MatchExpression match:
                path.Match = path.Match.Narrow("iptables match " + match.MatchName);
                return true;
            default:
                return false;
        }
    }

    public static void Compare(PathState path, CmpExpression cmp)
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
                IpFamilies nf = FamiliesOf(data[0]);
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
                bool equal = (CtStateNew & field.Mask) == HostOrder.ReadUInt32(data);
                if (equal != (cmp.Operator == CmpOperator.Equal))
                {
                    path.Match = m with { Unmatchable = true };
                }
                return;
            case FieldKind.CtStatus when data.Length == 4 && cmp.Operator is CmpOperator.Equal or CmpOperator.NotEqual:
                // Evaluated per probe: whether the connection was translated depends on where it is.
                var test = new CtStatusTest(field.Mask, HostOrder.ReadUInt32(data) & field.Mask, cmp.Operator == CmpOperator.Equal);
                path.Match = m with { CtStatus = m.CtStatus.Append(test).ToArray() };
                return;
        }
        string what = field.Kind == FieldKind.Unknown ? "a register" : field.Name;
        path.Match = m.Narrow($"{what} {CmpExpression.OperatorName(cmp.Operator)} {cmp.Data.ToDebugString().Trim()}");
    }

    public static void InRange(PathState path, RangeExpression range)
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

    /// <summary>One field of an element's key (from <paramref name="key"/> to <paramref name="keyEnd"/> for an interval), as a condition on the field the lookup read.</summary>
    public static void ApplyElementField(PathState path, RegisterField field, NftData key, NftData keyEnd, int offset)
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
                path.Match = m with { Families = m.Families & (FamiliesOf(value[0])) };
                return;
            case FieldKind.InputInterfaceName or FieldKind.OutputInterfaceName when value.SequenceEqual(valueEnd):
                string pattern = InterfacePattern(value);
                path.Match = field.Kind == FieldKind.InputInterfaceName ? m with { InputInterface = pattern } : m with { OutputInterface = pattern };
                return;
            case FieldKind.CtState when field.Length == 4 && value.SequenceEqual(valueEnd):
                if ((CtStateNew & field.Mask) != HostOrder.ReadUInt32(value))
                {
                    path.Match = m with { Unmatchable = true };
                }
                return;
            default:
                path.Match = m.Narrow(field.Name);
                return;
        }
    }

    /// <summary>The IP versions an NFPROTO_* value names.</summary>
    internal static IpFamilies FamiliesOf(byte nfproto) => nfproto == NfprotoIPv4 ? IpFamilies.IPv4 : nfproto == NfprotoIPv6 ? IpFamilies.IPv6 : IpFamilies.None;

    /// <summary>An interface name as meta iifname compares it: 16 NUL-padded bytes exactly, or fewer bytes for a "prefix*" match.</summary>
    private static string InterfacePattern(ReadOnlySpan<byte> data)
    {
        int nul = data.IndexOf((byte)0);
        string name = Encoding.ASCII.GetString(nul >= 0 ? data.Slice(0, nul) : data);
        return nul >= 0 || data.Length >= 16 ? name : name + "*";
    }
}
