using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// A lookup in a set or map, read against the ruleset's elements: a one-field set is a condition
/// on that field; a map, a verdict map or a set of concatenations forks the path, one way
/// through the rule per element.
/// </summary>
internal static class SetLookups
{
    /// <summary>The paths <paramref name="lookup"/> leads <paramref name="path"/> to: itself, narrowed, or one fork per element.</summary>
    public static IEnumerable<PathState> Apply(PathState path, LookupExpression lookup, Rule rule, Ruleset ruleset)
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
            if (Fork(path, lookup, set, key, element) is PathState fork)
            {
                yield return fork;
            }
        }
    }

    /// <summary>
    /// The way through the rule that <paramref name="element"/> of a map or concatenation set
    /// opens: its key's fields as conditions, its value loaded or its verdict taken; null for an
    /// interval's end element and for a verdict that ends the rule (NFT_BREAK).
    /// </summary>
    private static PathState? Fork(PathState path, LookupExpression lookup, Set set, List<(RegisterField Field, int Offset)> key, SetElement element)
    {
        if (element.Flags is SetElementFlags flags && (flags & SetElementFlags.IntervalEnd) != 0)
        {
            return null;
        }
        PathState fork = path.Clone();
        bool catchAll = element.Flags is SetElementFlags f && (f & SetElementFlags.CatchAll) != 0;
        if (!catchAll)
        {
            foreach ((RegisterField field, int offset) in key)
            {
                FieldConditions.ApplyElementField(fork, field, element.Key, element.KeyEnd ?? element.Key, offset);
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
                        return null;
                    }
                    fork.Action = ActionExpressions.FromVerdict(verdict);
                }
            }
            else
            {
                fork.Load(destination, FieldKind.Other, (int)(set.DataLength ?? 4), "a map value");
            }
        }
        return fork;
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
                    families |= e.Key.Length >= 1 ? FieldConditions.FamiliesOf(e.Key.Span[0]) : IpFamilies.None;
                }
                path.Match = m with { Families = m.Families & families };
                return true;
            case FieldKind.CtState when field.Mask == uint.MaxValue:
                bool contains = elements.Any(e => e.Key.Length == 4 && HostOrder.ReadUInt32(e.Key.Span) == FieldConditions.CtStateNew);
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
}
