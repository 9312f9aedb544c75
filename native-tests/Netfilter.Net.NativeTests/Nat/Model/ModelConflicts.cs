using System.Net;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// The model's conflict rules, as the README states them ("Conflicts"):
/// <list type="bullet">
/// <item>redirect, forward and tproxy compete in prerouting (and output, with local) for the same
/// protocol, overlapping ports, family, destination (none means any), input interface (none means
/// any; the output hook has none) and overlapping sources;</item>
/// <item>snat and masquerade compete in postrouting by family, output interface and sources;</item>
/// <item>two forwards to the same target told apart only by their input interface conflict too
/// (the XML docs of <c>NatConflicts</c>/<c>DnatRule</c> say "same target" is the address and
/// overlapping target ports; the model takes that);</item>
/// <item>rules of the same identity always conflict.</item>
/// </list>
/// Written again here, dimension by dimension, without the library's NatClaim or NatConflicts.
/// </summary>
internal static class ModelConflicts
{
    /// <summary>May <paramref name="a"/> and <paramref name="b"/> not share a table?</summary>
    public static bool Conflict(ModelRule a, ModelRule b) =>
        a.Identity == b.Identity
        || ClaimsIntersect(a, b, ignoreInputInterface: false)
        || SameTargetApartOnlyByInterface(a, b);

    /// <summary>
    /// Do the two rules claim some of the same packets? What RemoveAsync's refusal is about
    /// ("another claims some of the same packets"): the claims only, not the same-target rule,
    /// which is about return paths rather than packets (model decision, see README "Removal").
    /// </summary>
    public static bool ClaimsIntersect(ModelRule a, ModelRule b, bool ignoreInputInterface)
    {
        if (a.PicksDestination != b.PicksDestination)
        {
            return false;
        }
        if (!SharesAFamily(a, b))
        {
            return false;
        }
        if (!a.PicksDestination)
        {
            return a.OutputInterface is null || b.OutputInterface is null || a.OutputInterface == b.OutputInterface;
        }
        if (!((a.Tcp && b.Tcp) || (a.Udp && b.Udp)))
        {
            return false;
        }
        if (Math.Max(a.FirstPort, b.FirstPort) > Math.Min(a.LastPort, b.LastPort))
        {
            return false;
        }
        if (a.Destination is not null && b.Destination is not null && !a.Destination.Equals(b.Destination))
        {
            return false;
        }
        bool prerouting = a.Prerouting && b.Prerouting
            && (ignoreInputInterface || a.InputInterface is null || b.InputInterface is null || a.InputInterface == b.InputInterface);
        bool output = a.Output && b.Output;
        return prerouting || output;
    }

    /// <summary>Two forwards to one target address with overlapping target ports whose claims meet once the input interface is ignored.</summary>
    private static bool SameTargetApartOnlyByInterface(ModelRule a, ModelRule b)
    {
        if (a.Target is null || b.Target is null || !a.Target.Equals(b.Target))
        {
            return false;
        }
        bool portsMeet = a.TargetPorts is not (int, int) x || b.TargetPorts is not (int, int) y || (x.Item1 <= y.Item2 && y.Item1 <= x.Item2);
        return portsMeet && ClaimsIntersect(a, b, ignoreInputInterface: true);
    }

    /// <summary>A family both rules take, for which their sources meet (no sources: every source).</summary>
    private static bool SharesAFamily(ModelRule a, ModelRule b)
    {
        foreach (bool v6 in new[] { false, true })
        {
            if (!a.Takes(v6) || !b.Takes(v6))
            {
                continue;
            }
            IReadOnlyList<IPNetwork>? x = a.SourcesOf(v6), y = b.SourcesOf(v6);
            if (x is null || y is null || x.Any(p => y.Any(q => Overlap(p, q))))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Two prefixes overlap when one contains the other: compare the shorter prefix's bits.</summary>
    internal static bool Overlap(IPNetwork p, IPNetwork q)
    {
        if (p.BaseAddress.AddressFamily != q.BaseAddress.AddressFamily)
        {
            return false;
        }
        int bits = Math.Min(p.PrefixLength, q.PrefixLength);
        return SamePrefix(p.BaseAddress.GetAddressBytes(), q.BaseAddress.GetAddressBytes(), bits);
    }

    /// <summary>Is <paramref name="address"/> in <paramref name="network"/>?</summary>
    internal static bool Contains(IPNetwork network, IPAddress address) =>
        network.BaseAddress.AddressFamily == address.AddressFamily
        && SamePrefix(network.BaseAddress.GetAddressBytes(), address.GetAddressBytes(), network.PrefixLength);

    private static bool SamePrefix(byte[] a, byte[] b, int bits)
    {
        for (int i = 0; i < bits; i++)
        {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask))
            {
                return false;
            }
        }
        return true;
    }
}
