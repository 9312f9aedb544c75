using System;
using System.Collections.Generic;
using System.Net;

namespace Netfilter.Net.Nat;

/// <summary>Which rules compete for the same packets: those that pick a connection's destination, or those that pick its source.</summary>
internal enum NatClaimGroup
{
    /// <summary>Redirect, DNAT and TPROXY: new connections in prerouting (and output with local), by protocol and port.</summary>
    Destination,

    /// <summary>SNAT and masquerade: new connections in postrouting, by output interface and source.</summary>
    Source,
}

/// <summary>
/// The set of packets a typed rule would translate, dimension by dimension; two rules conflict
/// when every dimension intersects (<see cref="NatConflicts"/>). Derived from the rule's
/// identity plus its <c>local</c> option (which adds the output hook).
/// </summary>
internal sealed class NatClaim
{
    private static readonly PortRange AllPorts = new(1, 65535);

    private NatClaim(NatClaimGroup group, NatFamilies families, IReadOnlyList<IPNetwork> sources)
    {
        Group = group;
        Families = families;
        Sources = sources;
    }

    public NatClaimGroup Group { get; }

    /// <summary>IPv4, IPv6 or both.</summary>
    public NatFamilies Families { get; }

    /// <summary>tcp, udp or both; every protocol (null) for the source group.</summary>
    public TransportProtocol? Protocols { get; private init; }

    /// <summary>The public ports (1-65535 for a forward of every port; unused by the source group).</summary>
    public PortRange Ports { get; private init; } = AllPorts;

    /// <summary>Claimed in prerouting (redirect, DNAT, TPROXY).</summary>
    public bool Prerouting { get; private init; }

    /// <summary>Claimed in output too (local).</summary>
    public bool Output { get; private init; }

    /// <summary>The input interface in prerouting; null for any. The output hook has none.</summary>
    public string? InputInterface { get; private init; }

    /// <summary>The destination address; null for any (for a forward: any local address).</summary>
    public IPAddress? Destination { get; private init; }

    /// <summary>The source prefixes; empty for any.</summary>
    public IReadOnlyList<IPNetwork> Sources { get; }

    /// <summary>The output interface of SNAT and masquerade; null for any.</summary>
    public string? OutputInterface { get; private init; }

    /// <summary>
    /// The packets an element of one of the table's maps or sets would translate, whoever put it
    /// there: (protocol . port) in the redirect and dnat maps, (protocol . public port . target)
    /// in the masquerade sets. Null when the key is not of that shape.
    /// </summary>
    public static NatClaim? OfElement(string set, NfTables.NftData key)
    {
        ReadOnlySpan<byte> bytes = key.Span;
        if (bytes.Length < 8 || bytes[0] is not (6 or 17))
        {
            return null;
        }
        ushort port = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        if (port == 0)
        {
            return null;
        }
        (NatFamilies families, bool pre, bool output) = set switch
        {
            NatTableLayout.RedirectPre => (NatFamilies.Both, true, false),
            NatTableLayout.RedirectOut => (NatFamilies.Both, false, true),
            NatTableLayout.Dnat4Pre => (NatFamilies.IPv4, true, false),
            NatTableLayout.Dnat4Out => (NatFamilies.IPv4, false, true),
            NatTableLayout.Dnat6Pre => (NatFamilies.IPv6, true, false),
            NatTableLayout.Dnat6Out => (NatFamilies.IPv6, false, true),
            NatTableLayout.Masq4 => (NatFamilies.IPv4, true, true),
            NatTableLayout.Masq6 => (NatFamilies.IPv6, true, true),
            _ => (NatFamilies.Both, false, false),
        };
        if (!pre && !output)
        {
            return null;
        }
        return new NatClaim(NatClaimGroup.Destination, families, Array.Empty<IPNetwork>())
        {
            Protocols = bytes[0] == 6 ? TransportProtocol.Tcp : TransportProtocol.Udp,
            Ports = PortRange.Single(port),
            Prerouting = pre,
            Output = output,
        };
    }

    public static NatClaim Of(NatRule rule)
    {
        NatRuleIdentity id = rule.Identity;
        return rule switch
        {
            RedirectRule r => new NatClaim(NatClaimGroup.Destination, id.Families, id.Sources)
            {
                Protocols = r.Protocol,
                Ports = r.Ports,
                Prerouting = true,
                Output = r.IncludeLocal,
                InputInterface = r.InputInterface,
                Destination = r.Destination,
            },
            DnatRule d => new NatClaim(NatClaimGroup.Destination, id.Families, id.Sources)
            {
                Protocols = d.Protocol,
                Ports = d.Ports ?? AllPorts,
                Prerouting = true,
                Output = d.IncludeLocal,
                InputInterface = d.InputInterface,
                Destination = d.Destination,
            },
            TproxyRule t => new NatClaim(NatClaimGroup.Destination, id.Families, id.Sources)
            {
                Protocols = t.Protocol,
                Ports = t.Ports,
                Prerouting = true,
            },
            SnatRule s => new NatClaim(NatClaimGroup.Source, id.Families, id.Sources) { OutputInterface = s.OutputInterface },
            MasqueradeRule m => new NatClaim(NatClaimGroup.Source, id.Families, id.Sources) { OutputInterface = m.OutputInterface },
            _ => throw new ArgumentException($"unknown rule type {rule.GetType().Name}", nameof(rule)),
        };
    }
}
