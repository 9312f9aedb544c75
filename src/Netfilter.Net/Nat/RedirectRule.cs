using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netfilter.Net.Nat;

/// <summary>
/// REDIRECT: connections to <see cref="Ports"/> are delivered to a local process listening on
/// <see cref="ToPort"/> (DESIGN.md S1, S4, S8). The process can read where the client was going
/// with <c>OriginalDestination</c>.
/// </summary>
/// <remarks>
/// Like iptables' REDIRECT, a rule with no <see cref="Destination"/> also catches connections
/// that pass through the host toward other machines (that is what a transparent proxy wants).
/// Give a destination or an input interface to narrow it.
/// </remarks>
public sealed class RedirectRule : NatRule
{
    /// <summary>Redirects <paramref name="protocol"/> traffic to <paramref name="ports"/> to local port <paramref name="toPort"/>.</summary>
    /// <param name="protocol">tcp, udp or both.</param>
    /// <param name="ports">The port or range clients connect to.</param>
    /// <param name="toPort">The local port that receives them.</param>
    /// <param name="destination">Only connections to this address (e.g. the public address).</param>
    /// <param name="inputInterface">Only connections arriving on this interface.</param>
    /// <param name="sources">Only clients in these prefixes (exposure limited to some sources, S6). Empty: everyone.</param>
    /// <param name="includeLocal">Also redirect connections made by processes on this host (the output hook). Default false.</param>
    /// <exception cref="ArgumentException">A parameter is invalid; the message names it and says why.</exception>
    public RedirectRule(TransportProtocol protocol, PortRange ports, int toPort, IPAddress? destination = null, string? inputInterface = null, IEnumerable<IPNetwork>? sources = null, bool includeLocal = false)
    {
        TransportProtocol.Validate(protocol, nameof(protocol));
        if (ports.First == 0)
        {
            throw new ArgumentException("ports must be set (1–65535)", nameof(ports));
        }
        if (toPort is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(toPort), toPort, "a port is 1–65535");
        }
        if (destination is not null)
        {
            ValidateFamily(destination, nameof(destination));
        }
        ValidateInterface(inputInterface, nameof(inputInterface));
        Sources = ValidateSources(sources, nameof(sources));
        if (destination is not null)
        {
            ValidateSourcesFamily(Sources, destination.AddressFamily, $"destination {destination}", nameof(sources));
        }
        Protocol = protocol;
        Ports = ports;
        ToPort = toPort;
        Destination = destination;
        InputInterface = inputInterface;
        IncludeLocal = includeLocal;
    }

    /// <summary>tcp, udp or both.</summary>
    public TransportProtocol Protocol { get; }

    /// <summary>The port or range clients connect to.</summary>
    public PortRange Ports { get; }

    /// <summary>The local port that receives them.</summary>
    public int ToPort { get; }

    /// <summary>Only connections to this address, when set.</summary>
    public IPAddress? Destination { get; }

    /// <summary>Only connections arriving on this interface, when set.</summary>
    public string? InputInterface { get; }

    /// <summary>Only clients in these prefixes; empty means everyone.</summary>
    public IReadOnlyList<IPNetwork> Sources { get; }

    /// <summary>Also redirect connections made on this host.</summary>
    public bool IncludeLocal { get; }

    /// <summary><see cref="NatRuleKind.Redirect"/>.</summary>
    public override NatRuleKind Kind => NatRuleKind.Redirect;

    private protected override NatRuleIdentity CreateIdentity() =>
        new(NatRuleKind.Redirect, Destination is not null ? FamilyOf(Destination) : FamiliesOf(Sources), Protocol, Ports, Destination, InputInterface, null, Sources);

    /// <summary>True when the rule is a plain (protocol, port, target) redirect: map elements keyed by its public port.</summary>
    internal bool IsPlain => Ports.IsSingle && Destination is null && InputInterface is null && Sources.Count == 0;

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder("redirect ");
        sb.Append(Protocol.Name()).Append(' ').Append(Ports).Append(" to ").Append(ToPort.ToString(CultureInfo.InvariantCulture));
        if (Destination is not null) sb.Append(" dst ").Append(Destination);
        if (InputInterface is not null) sb.Append(" iif ").Append(InputInterface);
        AppendSources(sb, Sources);
        if (IncludeLocal) sb.Append(" local");
        return sb.ToString();
    }
}
