using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netfilter.Net.Nat;

/// <summary>
/// DNAT: a forward. Connections to this host's <see cref="Ports"/> are sent to
/// <see cref="ToAddress"/> (and <see cref="ToPorts"/>), another host (DESIGN.md S2, S4, S5, S6, S7).
/// </summary>
/// <remarks>
/// <para>By default only connections addressed to one of this host's own addresses are forwarded
/// (nft <c>fib daddr type local</c>, as Docker does), so traffic passing through to other
/// machines is never hijacked. Give <see cref="Destination"/> to narrow it to one address.</para>
/// <para>The kernel forwards only when IP forwarding is on (<c>Forwarding</c> in Sysctl); and the
/// server's replies must come back through this host: either the server routes through it, or
/// set <see cref="Masquerade"/> so the server sees this host as the client.</para>
/// </remarks>
public sealed class DnatRule : NatRule
{
    /// <summary>Forwards <paramref name="protocol"/> connections to <paramref name="ports"/> to <paramref name="toAddress"/>.</summary>
    /// <param name="protocol">tcp, udp or both. Required when ports are given.</param>
    /// <param name="ports">The public port or range; null forwards every port of the protocol (then <paramref name="toPorts"/> must be null).</param>
    /// <param name="toAddress">The inner host, IPv4 or IPv6.</param>
    /// <param name="toPorts">The inner port or range; null keeps the public port.</param>
    /// <param name="destination">Only connections to this address of the host (same family as <paramref name="toAddress"/>).</param>
    /// <param name="inputInterface">Only connections arriving on this interface.</param>
    /// <param name="sources">Only clients in these prefixes (S6). Empty: everyone.</param>
    /// <param name="persistent">nat flag "persistent": a client keeps the same target address (address ranges).</param>
    /// <param name="random">nat flag "random": randomise the target port within <paramref name="toPorts"/>.</param>
    /// <param name="masquerade">Also masquerade the forwarded connections on the way out, so replies return through this host even when the server does not route through it. A connection whose target is the very address and port the client called is no translation for the kernel (it sets no DNAT status), so this masquerade does not apply to it.</param>
    /// <param name="hairpin">Also masquerade clients that are on the server's own network and use the public address (S7).</param>
    /// <param name="includeLocal">Also forward connections made by processes on this host (the output hook).</param>
    /// <exception cref="ArgumentException">A parameter is invalid; the message names it and says why.</exception>
    public DnatRule(TransportProtocol protocol, PortRange? ports, IPAddress toAddress, PortRange? toPorts = null, IPAddress? destination = null, string? inputInterface = null, IEnumerable<IPNetwork>? sources = null, bool persistent = false, bool random = false, bool masquerade = false, bool hairpin = false, bool includeLocal = false)
    {
        TransportProtocol.Validate(protocol, nameof(protocol));
        ValidateTranslationAddress(toAddress, "a forward's target", nameof(toAddress));
        if (ports is PortRange p && p.First == 0)
        {
            throw new ArgumentException("ports, when given, must be set (1–65535)", nameof(ports));
        }
        if (toPorts is PortRange t && t.First == 0)
        {
            throw new ArgumentException("toPorts, when given, must be set (1–65535)", nameof(toPorts));
        }
        if (ports is null && toPorts is not null)
        {
            throw new ArgumentException("a target port needs public ports to translate: give ports too (forwarding every port keeps each port)", nameof(toPorts));
        }
        if (ports is PortRange pr && toPorts is PortRange tr && !pr.IsSingle && !tr.IsSingle && pr != tr)
        {
            // The kernel picks any free port of a target range: it does not map port N to N + offset.
            throw new ArgumentException($"a public port range maps onto one target port or onto the same range (each port kept): {pr} onto {tr} would scatter ports", nameof(toPorts));
        }
        if (random && toPorts is not PortRange { IsSingle: false })
        {
            throw new ArgumentException("random picks a port within a target port range: give toPorts as a range", nameof(random));
        }
        if (destination is not null)
        {
            ValidateFamily(destination, nameof(destination));
            if (destination.AddressFamily != toAddress.AddressFamily)
            {
                throw new ArgumentException($"destination {destination} is {Describe(destination.AddressFamily)} but the target {toAddress} is {Describe(toAddress.AddressFamily)}: address families must agree", nameof(destination));
            }
        }
        ValidateInterface(inputInterface, nameof(inputInterface));
        Sources = ValidateSources(sources, nameof(sources));
        ValidateSourcesFamily(Sources, toAddress.AddressFamily, $"the target {toAddress}", nameof(sources));
        Protocol = protocol;
        Ports = ports;
        ToAddress = toAddress;
        ToPorts = toPorts;
        Destination = destination;
        InputInterface = inputInterface;
        Persistent = persistent;
        Random = random;
        Masquerade = masquerade;
        Hairpin = hairpin;
        IncludeLocal = includeLocal;
    }

    /// <summary>tcp, udp or both.</summary>
    public TransportProtocol Protocol { get; }

    /// <summary>The public port or range; null for every port.</summary>
    public PortRange? Ports { get; }

    /// <summary>The inner host.</summary>
    public IPAddress ToAddress { get; }

    /// <summary>The inner port or range; null keeps the public port.</summary>
    public PortRange? ToPorts { get; }

    /// <summary>Only connections to this address, when set.</summary>
    public IPAddress? Destination { get; }

    /// <summary>Only connections arriving on this interface, when set.</summary>
    public string? InputInterface { get; }

    /// <summary>Only clients in these prefixes; empty means everyone.</summary>
    public IReadOnlyList<IPNetwork> Sources { get; }

    /// <summary>nat flag persistent.</summary>
    public bool Persistent { get; }

    /// <summary>nat flag random.</summary>
    public bool Random { get; }

    /// <summary>Masquerade the forwarded connections on the way out.</summary>
    public bool Masquerade { get; }

    /// <summary>Masquerade clients on the server's own network that use the public address.</summary>
    public bool Hairpin { get; }

    /// <summary>Also forward connections made on this host.</summary>
    public bool IncludeLocal { get; }

    /// <summary>True for IPv6 targets.</summary>
    public bool IsIPv6 => ToAddress.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The port the server listens on for public port <paramref name="publicPort"/>.</summary>
    internal int TargetPortFor(int publicPort) => ToPorts is PortRange t ? t.First : publicPort;

    /// <summary>True when the rule is a plain (protocol, port, target) forward: map elements keyed by its public port.</summary>
    internal bool IsPlain => Ports is PortRange { IsSingle: true } && (ToPorts is null || ToPorts.Value.IsSingle)
        && Destination is null && InputInterface is null && Sources.Count == 0 && !Persistent && !Random;

    /// <summary><see cref="NatRuleKind.Dnat"/>.</summary>
    public override NatRuleKind Kind => NatRuleKind.Dnat;

    /// <summary>The target port range: <see cref="ToPorts"/>, else the public ports (kept); null for every port.</summary>
    internal PortRange? TargetPorts => ToPorts ?? Ports;

    private protected override NatRuleIdentity CreateIdentity() =>
        new(NatRuleKind.Dnat, FamilyOf(ToAddress), Protocol, Ports, Destination, InputInterface, null, Sources);

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder("dnat ");
        sb.Append(Protocol.Name()).Append(' ').Append(Ports?.ToString() ?? "all").Append(" to ");
        sb.Append(IsIPv6 ? $"[{ToAddress}]" : ToAddress.ToString());
        if (ToPorts is PortRange t) sb.Append(':').Append(t);
        if (Destination is not null) sb.Append(" dst ").Append(Destination);
        if (InputInterface is not null) sb.Append(" iif ").Append(InputInterface);
        AppendSources(sb, Sources);
        if (Persistent) sb.Append(" persistent");
        if (Random) sb.Append(" random");
        if (Masquerade) sb.Append(" masquerade");
        if (Hairpin) sb.Append(" hairpin");
        if (IncludeLocal) sb.Append(" local");
        return sb.ToString();
    }
}
