using System;
using System.Globalization;
using System.Net;
using System.Text;

namespace Netfilter.Net.Nat;

/// <summary>
/// TPROXY: connections to <see cref="Ports"/> are handed, unchanged, to a local socket with
/// IP_TRANSPARENT listening on <see cref="ToPort"/> (DESIGN.md S8). The packets are marked with
/// <see cref="Mark"/>; a policy route (<c>TproxyRouting</c>) must deliver marked packets locally.
/// Unlike REDIRECT, the proxy's accepted socket shows the original destination as its local endpoint.
/// </summary>
public sealed class TproxyRule : NatRule
{
    /// <summary>Hands <paramref name="protocol"/> connections to <paramref name="ports"/> to the transparent socket on <paramref name="toPort"/>.</summary>
    /// <param name="protocol">tcp, udp or both.</param>
    /// <param name="ports">The port or range to intercept.</param>
    /// <param name="toPort">The local port of the transparent listener.</param>
    /// <param name="mark">The fwmark set on intercepted packets; the policy route matches it. Not 0.</param>
    /// <param name="toAddress">The local address of the listener; null: the address the packet arrived on.</param>
    /// <exception cref="ArgumentException">A parameter is invalid; the message names it and says why.</exception>
    public TproxyRule(TransportProtocol protocol, PortRange ports, int toPort, uint mark, IPAddress? toAddress = null)
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
        if (mark == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mark), mark, "the mark selects the policy route: it cannot be 0");
        }
        if (toAddress is not null)
        {
            ValidateFamily(toAddress, nameof(toAddress));
        }
        Protocol = protocol;
        Ports = ports;
        ToPort = toPort;
        Mark = mark;
        ToAddress = toAddress;
    }

    /// <summary>tcp, udp or both.</summary>
    public TransportProtocol Protocol { get; }

    /// <summary>The intercepted port or range.</summary>
    public PortRange Ports { get; }

    /// <summary>The transparent listener's port.</summary>
    public int ToPort { get; }

    /// <summary>The fwmark set on intercepted packets.</summary>
    public uint Mark { get; }

    /// <summary>The listener's address, when fixed.</summary>
    public IPAddress? ToAddress { get; }

    /// <summary><see cref="NatRuleKind.Tproxy"/>.</summary>
    public override NatRuleKind Kind => NatRuleKind.Tproxy;

    private protected override NatRuleIdentity CreateIdentity() =>
        new(NatRuleKind.Tproxy, ToAddress is not null ? FamilyOf(ToAddress) : NatFamilies.Both, Protocol, Ports, null, null, null, System.Array.Empty<IPNetwork>());

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder("tproxy ");
        sb.Append(Protocol.Name()).Append(' ').Append(Ports).Append(" to ");
        if (ToAddress is not null) sb.Append(ToAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ToAddress}]" : ToAddress.ToString());
        sb.Append(':').Append(ToPort.ToString(CultureInfo.InvariantCulture));
        sb.Append(" mark 0x").Append(Mark.ToString("x", CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
