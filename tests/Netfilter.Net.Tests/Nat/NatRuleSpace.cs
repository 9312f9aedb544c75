using System.Net;
using CsCheck;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Nat;

/// <summary>
/// A small space of typed rules chosen to collide: few ports (single, overlapping ranges, all),
/// two IPv4 backends and one IPv6, nested and disjoint source prefixes, two input and output
/// interfaces, and every option. Rules the constructors refuse are skipped.
/// </summary>
internal static class NatRuleSpace
{
    private static readonly IPAddress[] Targets = { IPAddress.Parse("10.0.2.2"), IPAddress.Parse("10.0.2.3"), IPAddress.Parse("fd02::2") };
    private static readonly PortRange?[] Ports = { PortRange.Single(80), PortRange.Single(81), new PortRange(80, 81), new PortRange(81, 90), null };
    private static readonly PortRange?[] TargetPorts = { null, PortRange.Single(22), PortRange.Single(23) };
    private static readonly IPAddress?[] Destinations = { null, null, IPAddress.Parse("10.0.1.1"), IPAddress.Parse("10.0.1.9"), IPAddress.Parse("fd01::1") };
    private static readonly string?[] Interfaces = { null, null, "lan", "lan2" };
    private static readonly IPNetwork[][] SourceSets =
    {
        Array.Empty<IPNetwork>(),
        Array.Empty<IPNetwork>(),
        new[] { IPNetwork.Parse("10.0.1.0/24") },
        new[] { IPNetwork.Parse("10.0.1.0/25") },
        new[] { IPNetwork.Parse("10.0.3.0/24") },
        new[] { IPNetwork.Parse("fd01::/64") },
        new[] { IPNetwork.Parse("10.0.1.0/24"), IPNetwork.Parse("fd01::/64") },
    };
    private static readonly TransportProtocol[] Protocols = { TransportProtocol.Tcp, TransportProtocol.Udp, TransportProtocol.Both };

    /// <summary>The connected network of a target, as NatHostInfo would find it (for hairpin rules).</summary>
    public static IPNetwork? ConnectedNetwork(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? new IPNetwork(IPAddress.Parse("10.0.2.0"), 24) : new IPNetwork(IPAddress.Parse("fd02::"), 64);

    public static readonly Gen<NatRule> Rule =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], (kind, a, b, c) => Build(kind, a, b, c))
            .Where(r => r is not null)
            .Select(r => r!);

    private static T Pick<T>(T[] values, ref int seed)
    {
        T value = values[seed % values.Length];
        seed /= values.Length;
        return value;
    }

    private static bool Flag(ref int seed)
    {
        bool value = (seed & 1) == 1;
        seed >>= 1;
        return value;
    }

    private static NatRule? Build(int kind, int a, int b, int c)
    {
        try
        {
            TransportProtocol protocol = Pick(Protocols, ref a);
            PortRange? ports = Pick(Ports, ref a);
            IPAddress? destination = Pick(Destinations, ref b);
            string? iif = Pick(Interfaces, ref b);
            IPNetwork[] sources = Pick(SourceSets, ref b);
            switch (kind)
            {
                case 0:
                case 1:
                    return new RedirectRule(protocol, ports ?? PortRange.Single(80), Flag(ref c) ? 8080 : 8081, destination, iif, sources, includeLocal: Flag(ref c));
                case 2:
                case 3:
                case 4:
                case 5:
                    {
                        IPAddress target = Pick(Targets, ref c);
                        PortRange? toPorts = ports is null ? null : Pick(TargetPorts, ref c);
                        if (ports is PortRange p && !p.IsSingle && toPorts is PortRange { IsSingle: true } && Flag(ref c))
                        {
                            toPorts = p;
                        }
                        return new DnatRule(protocol, ports, target, toPorts, destination, iif, sources,
                            masquerade: Flag(ref c), hairpin: Flag(ref c), includeLocal: Flag(ref c));
                    }
                case 6:
                    return new TproxyRule(protocol, ports ?? PortRange.Single(81), 8443, Flag(ref c) ? 1u : 2u, Flag(ref c) ? null : Pick(Targets, ref c));
                case 7:
                    return new SnatRule(Pick(Targets, ref c), outputInterface: Pick(new[] { null, "wan", "wan2" }, ref b), sources: sources);
                default:
                    return new MasqueradeRule(Pick(new[] { null, "wan", "wan2" }, ref b), sources, random: Flag(ref c));
            }
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
