using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// A set of destination ports (0–65535) as sorted, disjoint, inclusive ranges: what a rule's
/// port conditions (cmp, range, set lookups) leave possible. Immutable.
/// </summary>
internal sealed class PortRanges : IEquatable<PortRanges>
{
    private readonly (int First, int Last)[] _ranges;

    private PortRanges((int First, int Last)[] ranges) => _ranges = ranges;

    /// <summary>Every port: no port condition.</summary>
    public static PortRanges All { get; } = new(new[] { (0, 65535) });

    /// <summary>No port: contradictory conditions.</summary>
    public static PortRanges None { get; } = new(Array.Empty<(int, int)>());

    public IReadOnlyList<(int First, int Last)> Ranges => _ranges;

    public bool IsAll => _ranges.Length == 1 && _ranges[0] == (0, 65535);

    public bool IsEmpty => _ranges.Length == 0;

    /// <summary>True when the set is exactly one port.</summary>
    public bool IsSinglePort => _ranges.Length == 1 && _ranges[0].First == _ranges[0].Last;

    public static PortRanges Of(int first, int last) => first > last ? None : new(new[] { (Math.Max(0, first), Math.Min(65535, last)) });

    /// <summary>The union of <paramref name="ranges"/>, in any order, overlapping or not.</summary>
    public static PortRanges Union(IEnumerable<(int First, int Last)> ranges)
    {
        var list = new List<(int First, int Last)>();
        foreach ((int f, int l) in ranges)
        {
            if (f <= l)
            {
                list.Add((Math.Max(0, f), Math.Min(65535, l)));
            }
        }
        list.Sort((a, b) => a.First.CompareTo(b.First));
        var merged = new List<(int First, int Last)>();
        foreach ((int f, int l) in list)
        {
            if (merged.Count > 0 && f <= merged[^1].Last + 1)
            {
                merged[^1] = (merged[^1].First, Math.Max(merged[^1].Last, l));
            }
            else
            {
                merged.Add((f, l));
            }
        }
        return new PortRanges(merged.ToArray());
    }

    public PortRanges Intersect(PortRanges other)
    {
        var result = new List<(int, int)>();
        foreach ((int f1, int l1) in _ranges)
        {
            foreach ((int f2, int l2) in other._ranges)
            {
                int f = Math.Max(f1, f2), l = Math.Min(l1, l2);
                if (f <= l)
                {
                    result.Add((f, l));
                }
            }
        }
        return Union(result);
    }

    /// <summary>Every port of this set that is not in <paramref name="other"/>.</summary>
    public PortRanges Except(PortRanges other)
    {
        var complement = new List<(int, int)>();
        int next = 0;
        foreach ((int f, int l) in other._ranges)
        {
            if (f > next)
            {
                complement.Add((next, f - 1));
            }
            next = l + 1;
        }
        if (next <= 65535)
        {
            complement.Add((next, 65535));
        }
        return Intersect(Union(complement));
    }

    /// <summary>True when some port of [<paramref name="first"/>, <paramref name="last"/>] is in the set.</summary>
    public bool Overlaps(int first, int last)
    {
        foreach ((int f, int l) in _ranges)
        {
            if (f <= last && first <= l)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when every port of [<paramref name="first"/>, <paramref name="last"/>] is in the set.</summary>
    public bool Covers(int first, int last)
    {
        foreach ((int f, int l) in _ranges)
        {
            if (f <= first && last <= l)
            {
                return true;
            }
        }
        return false;
    }

    public bool Equals(PortRanges? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    public override bool Equals(object? obj) => Equals(obj as PortRanges);

    public override int GetHashCode() => _ranges.Length == 0 ? 0 : HashCode.Combine(_ranges.Length, _ranges[0], _ranges[^1]);

    /// <summary>As nft writes a port set: "80", "8000-8100", "{ 22, 80-81 }", "any".</summary>
    public override string ToString()
    {
        if (IsAll)
        {
            return "any";
        }
        if (IsEmpty)
        {
            return "none";
        }
        var parts = new List<string>();
        foreach ((int f, int l) in _ranges)
        {
            parts.Add(f == l ? f.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{f}-{l}"));
        }
        return parts.Count == 1 ? parts[0] : "{ " + string.Join(", ", parts) + " }";
    }
}
