using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace Netfilter.Net.Nat;

/// <summary>
/// Which typed rules cannot share a table, and why: the one place that decides it (NatTable's
/// apply, add and remove, and any model of the table, use it). Pure logic over
/// <see cref="NatClaim"/>s.
/// </summary>
/// <remarks>
/// <para>Two rules conflict when their claims intersect in every dimension: they would compete
/// for the same packets, and which one wins would depend on rule order. Redirect, DNAT and TPROXY
/// compete with each other (prerouting, and output with local, by protocol and port); SNAT and
/// masquerade compete with each other (postrouting, by output interface and source). Two rules
/// with the same identity always conflict.</para>
/// <para>One more case: two forwards to the same target (address and overlapping target ports)
/// whose claims differ only by input interface. Conntrack does not record the input interface,
/// so the return-path masquerade of one (which matches its connections through conntrack) would
/// also match the other's: their return paths could not be told apart.</para>
/// </remarks>
internal static class NatConflicts
{
    /// <summary>Why <paramref name="a"/> and <paramref name="b"/> cannot share a table, or null when they can.</summary>
    public static string? Between(NatRule a, NatRule b)
    {
        NatClaim x = a.Claim, y = b.Claim;
        if (x.Group != y.Group)
        {
            return null;
        }
        if (Overlap(x, y, ignoreInputInterface: false) is string common)
        {
            return a.Identity.Equals(b.Identity)
                ? $"they have the same match ({a.Identity}) with other options"
                : $"both claim {common}";
        }
        if (a is DnatRule da && b is DnatRule db && da.ToAddress.Equals(db.ToAddress) && PortsOverlap(da.TargetPorts, db.TargetPorts)
            && Overlap(x, y, ignoreInputInterface: true) is not null)
        {
            return $"both forward to {Endpoint(da)} and are told apart only by their input interface ({da.InputInterface ?? "any"}, {db.InputInterface ?? "any"}): "
                + "conntrack does not record the input interface, so their return paths could not be told apart";
        }
        return null;
    }

    /// <summary>
    /// Every conflicting pair among <paramref name="rules"/> (each pair once, in input order).
    /// Sorting by port keeps it near-linear for the usual thousands of forwards on distinct ports.
    /// </summary>
    public static List<(NatRule A, NatRule B, string Why)> Within(IReadOnlyList<NatRule> rules)
    {
        var conflicts = new List<(NatRule, NatRule, string)>();
        var destination = new List<(int Index, NatRule Rule)>();
        var source = new List<(int Index, NatRule Rule)>();
        for (int i = 0; i < rules.Count; i++)
        {
            (rules[i].Claim.Group == NatClaimGroup.Destination ? destination : source).Add((i, rules[i]));
        }
        // Destination group: a sweep over port ranges, comparing only rules whose ports overlap.
        destination.Sort((p, q) => p.Rule.Claim.Ports.First != q.Rule.Claim.Ports.First
            ? p.Rule.Claim.Ports.First.CompareTo(q.Rule.Claim.Ports.First)
            : p.Index.CompareTo(q.Index));
        var active = new List<(int Index, NatRule Rule)>();
        foreach ((int index, NatRule rule) in destination)
        {
            active.RemoveAll(r => r.Rule.Claim.Ports.Last < rule.Claim.Ports.First);
            foreach ((int otherIndex, NatRule other) in active)
            {
                if (Between(other, rule) is string why)
                {
                    conflicts.Add(otherIndex < index ? (other, rule, why) : (rule, other, why));
                }
            }
            active.Add((index, rule));
        }
        for (int i = 0; i < source.Count; i++)
        {
            for (int j = i + 1; j < source.Count; j++)
            {
                if (Between(source[i].Rule, source[j].Rule) is string why)
                {
                    conflicts.Add((source[i].Rule, source[j].Rule, why));
                }
            }
        }
        conflicts.Sort((p, q) => Order(rules, p.Item1, p.Item2).CompareTo(Order(rules, q.Item1, q.Item2)));
        return conflicts;
    }

    private static (int, int) Order(IReadOnlyList<NatRule> rules, NatRule a, NatRule b) => (IndexOf(rules, a), IndexOf(rules, b));

    private static int IndexOf(IReadOnlyList<NatRule> rules, NatRule rule)
    {
        for (int i = 0; i < rules.Count; i++)
        {
            if (ReferenceEquals(rules[i], rule))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The packets both claims cover, in words, or null when they are disjoint.</summary>
    internal static string? Overlap(NatClaim a, NatClaim b, bool ignoreInputInterface)
    {
        if (a.Group != b.Group)
        {
            return null;
        }
        NatFamilies families = 0;
        foreach (NatFamilies family in new[] { NatFamilies.IPv4, NatFamilies.IPv6 })
        {
            if ((a.Families & b.Families & family) != 0 && SourcesOverlap(a.Sources, b.Sources, family))
            {
                families |= family;
            }
        }
        if (families == 0)
        {
            return null;
        }
        string? from = NarrowerSources(a.Sources, b.Sources, families);
        if (a.Group == NatClaimGroup.Source)
        {
            if (a.OutputInterface is not null && b.OutputInterface is not null && a.OutputInterface != b.OutputInterface)
            {
                return null;
            }
            string oif = a.OutputInterface ?? b.OutputInterface ?? "any interface";
            return $"{NatRuleIdentity.FamilyName(families)} connections leaving through {oif}{from} (postrouting)";
        }
        if (a.Protocols is not TransportProtocol pa || b.Protocols is not TransportProtocol pb || pa.Intersect(pb) is not TransportProtocol protocols)
        {
            return null;
        }
        int first = Math.Max(a.Ports.First, b.Ports.First), last = Math.Min(a.Ports.Last, b.Ports.Last);
        if (first > last)
        {
            return null;
        }
        if (a.Destination is not null && b.Destination is not null && !a.Destination.Equals(b.Destination))
        {
            return null;
        }
        bool prerouting = a.Prerouting && b.Prerouting
            && (ignoreInputInterface || a.InputInterface is null || b.InputInterface is null || a.InputInterface == b.InputInterface);
        bool output = a.Output && b.Output;
        if (!prerouting && !output)
        {
            return null;
        }
        var sb = new StringBuilder(protocols.Name());
        sb.Append(first == last ? " port " : " ports ").Append(first.ToString(CultureInfo.InvariantCulture));
        if (last != first)
        {
            sb.Append('-').Append(last.ToString(CultureInfo.InvariantCulture));
        }
        sb.Append(" of ").Append(NatRuleIdentity.FamilyName(families)).Append(" connections");
        if ((a.Destination ?? b.Destination) is IPAddress destination)
        {
            sb.Append(" to ").Append(destination);
        }
        sb.Append(from);
        string? iif = prerouting && !ignoreInputInterface ? a.InputInterface ?? b.InputInterface : null;
        sb.Append(" (").Append(prerouting && output ? "prerouting and output" : prerouting ? "prerouting" : "output");
        if (iif is not null)
        {
            sb.Append(", arriving on ").Append(iif);
        }
        return sb.Append(')').ToString();
    }

    private static bool PortsOverlap(PortRange? a, PortRange? b) =>
        a is not PortRange x || b is not PortRange y || (x.First <= y.Last && y.First <= x.Last);

    /// <summary>Do the two prefix lists share an address of <paramref name="family"/>? Empty means every source.</summary>
    private static bool SourcesOverlap(IReadOnlyList<IPNetwork> a, IReadOnlyList<IPNetwork> b, NatFamilies family)
    {
        List<IPNetwork> x = a.Where(n => NatRule.FamilyOf(n.BaseAddress) == family).ToList();
        List<IPNetwork> y = b.Where(n => NatRule.FamilyOf(n.BaseAddress) == family).ToList();
        if ((a.Count > 0 && x.Count == 0) || (b.Count > 0 && y.Count == 0))
        {
            return false; // that rule does not take this family at all
        }
        if (a.Count == 0 || b.Count == 0)
        {
            return true;
        }
        return x.Any(p => y.Any(q => PrefixesOverlap(p, q)));
    }

    /// <summary>Two prefixes overlap exactly when the shorter one contains the other's base address.</summary>
    internal static bool PrefixesOverlap(IPNetwork p, IPNetwork q) =>
        p.BaseAddress.AddressFamily == q.BaseAddress.AddressFamily
        && (p.PrefixLength <= q.PrefixLength ? p.Contains(q.BaseAddress) : q.Contains(p.BaseAddress));

    /// <summary>" from P" for the narrower of the two overlapping prefixes, when either rule limits the sources.</summary>
    private static string? NarrowerSources(IReadOnlyList<IPNetwork> a, IReadOnlyList<IPNetwork> b, NatFamilies families)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return null;
        }
        var common = new List<IPNetwork>();
        foreach (IPNetwork p in a.Count == 0 ? b : a)
        {
            if ((NatRule.FamilyOf(p.BaseAddress) & families) == 0)
            {
                continue;
            }
            IEnumerable<IPNetwork> others = a.Count == 0 || b.Count == 0 ? new[] { p } : b.Where(q => PrefixesOverlap(p, q));
            foreach (IPNetwork q in others)
            {
                common.Add(p.PrefixLength >= q.PrefixLength ? p : q);
            }
        }
        return common.Count == 0 ? null : " from " + string.Join(',', common.Distinct());
    }

    private static string Endpoint(DnatRule rule)
    {
        string address = rule.IsIPv6 ? $"[{rule.ToAddress}]" : rule.ToAddress.ToString();
        return rule.TargetPorts is PortRange ports ? $"{address}:{ports}" : address;
    }
}
