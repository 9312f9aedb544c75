using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;

namespace Netfilter.Net.Nat;

/// <summary>
/// What makes a typed rule the rule it is: what <see cref="NatTable.RemoveAsync"/> and
/// <c>nfnet KIND remove</c> match. It is the rule's <see cref="Kind"/> plus its match: the
/// address <see cref="Families"/>, the <see cref="Protocol"/>, the public <see cref="Ports"/>,
/// the <see cref="Destination"/>, the <see cref="InputInterface"/> and the <see cref="Sources"/>
/// (for SNAT and masquerade: the families, the <see cref="OutputInterface"/> and the sources).
/// </summary>
/// <remarks>
/// <para>Everything else is an option and not part of the identity: a forward's target address
/// and ports, masquerade, hairpin, local (the output hook), persistent and random; a redirect's
/// target port and local; a tproxy rule's listener port and mark; SNAT's address range;
/// masquerade's random and fully-random. So <c>dnat tcp 2222 to 10.0.2.2:22 masquerade</c> and
/// <c>dnat tcp 2222 to 10.0.2.9:22</c> have the same identity, <c>dnat ipv4 tcp 2222</c>.</para>
/// <para>The families come from the rule's addresses: a forward's and SNAT's from their target
/// address, a tproxy rule's from its listener address (both without one), a redirect's from its
/// destination or else its source prefixes (both without either), masquerade's from its source
/// prefixes (both without any).</para>
/// <para>Two rules with the same identity claim the same packets, and a <see cref="NatTable"/>
/// refuses two rules that claim the same packets, so a table holds at most one rule per
/// identity: removing by identity removes exactly that rule, whatever its options.</para>
/// </remarks>
public sealed class NatRuleIdentity : IEquatable<NatRuleIdentity>
{
    internal NatRuleIdentity(NatRuleKind kind, NatFamilies families, TransportProtocol? protocol, PortRange? ports, IPAddress? destination, string? inputInterface, string? outputInterface, IReadOnlyList<IPNetwork> sources)
    {
        Kind = kind;
        Families = families;
        Protocol = protocol;
        Ports = ports;
        Destination = destination;
        InputInterface = inputInterface;
        OutputInterface = outputInterface;
        Sources = sources;
    }

    /// <summary>Redirect, DNAT, SNAT, masquerade or tproxy.</summary>
    public NatRuleKind Kind { get; }

    /// <summary>The IP versions the rule applies to.</summary>
    public NatFamilies Families { get; }

    /// <summary>tcp, udp or both; null for SNAT and masquerade (every protocol).</summary>
    public TransportProtocol? Protocol { get; }

    /// <summary>The public port or range; null for a forward of every port, and for SNAT and masquerade.</summary>
    public PortRange? Ports { get; }

    /// <summary>The destination address the rule is limited to; null for any.</summary>
    public IPAddress? Destination { get; }

    /// <summary>The input interface the rule is limited to; null for any.</summary>
    public string? InputInterface { get; }

    /// <summary>The output interface of SNAT and masquerade; null for any.</summary>
    public string? OutputInterface { get; }

    /// <summary>The source prefixes the rule is limited to, in canonical order; empty for every source.</summary>
    public IReadOnlyList<IPNetwork> Sources { get; }

    /// <inheritdoc />
    public bool Equals(NatRuleIdentity? other) =>
        other is not null
        && Kind == other.Kind
        && Families == other.Families
        && Protocol == other.Protocol
        && Ports == other.Ports
        && Equals(Destination, other.Destination)
        && InputInterface == other.InputInterface
        && OutputInterface == other.OutputInterface
        && Sources.SequenceEqual(other.Sources);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NatRuleIdentity);

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <summary>
    /// The identity in words, e.g. <c>dnat ipv4 tcp 2222</c>, <c>redirect ipv4+ipv6 tcp 80 iif lan</c>,
    /// <c>masquerade ipv4 oif wan from 10.0.1.0/24</c>.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Kind switch
        {
            NatRuleKind.Redirect => "redirect",
            NatRuleKind.Dnat => "dnat",
            NatRuleKind.Snat => "snat",
            NatRuleKind.Masquerade => "masquerade",
            _ => "tproxy",
        });
        sb.Append(' ').Append(FamilyName(Families));
        if (Protocol is TransportProtocol protocol)
        {
            sb.Append(' ').Append(protocol.Name()).Append(' ').Append(Ports?.ToString() ?? "all");
        }
        if (Destination is not null) sb.Append(" dst ").Append(Destination);
        if (InputInterface is not null) sb.Append(" iif ").Append(InputInterface);
        if (OutputInterface is not null) sb.Append(" oif ").Append(OutputInterface);
        NatRule.AppendSources(sb, Sources);
        return sb.ToString();
    }

    internal static string FamilyName(NatFamilies families) => families switch
    {
        NatFamilies.IPv4 => "ipv4",
        NatFamilies.IPv6 => "ipv6",
        _ => "ipv4+ipv6",
    };
}
