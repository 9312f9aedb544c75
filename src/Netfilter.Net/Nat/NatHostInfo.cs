using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Routing;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Nat;

/// <summary>
/// What the NAT layer needs to know about the host it configures, read from the kernel of its
/// namespace when needed: the interface addresses (is a target local? which connected network
/// holds it, for hairpin?) and whether forwarding is on (to warn, never to switch it on).
/// </summary>
internal sealed class NatHostInfo
{
    private readonly List<InterfaceAddress> _addresses;

    /// <summary>Host facts gathered elsewhere (Netfilter.Net.Testing's in-memory host).</summary>
    internal NatHostInfo(List<InterfaceAddress> addresses, ForwardingStatus forwarding, bool routeLocalnet)
    {
        _addresses = addresses;
        Forwarding = forwarding;
        RouteLocalnet = routeLocalnet;
    }

    public ForwardingStatus Forwarding { get; }

    public bool RouteLocalnet { get; }

    public static async Task<NatHostInfo> ReadAsync(NetworkNamespace? ns, CancellationToken cancellationToken)
    {
        using var routing = new RoutingClient(ns);
        var addresses = await routing.ListAddressesAsync(NetfilterFamily.IPv4, cancellationToken).ConfigureAwait(false);
        addresses.AddRange(await routing.ListAddressesAsync(NetfilterFamily.IPv6, cancellationToken).ConfigureAwait(false));
        ForwardingStatus forwarding = Sysctl.Forwarding.GetStatus(ns);
        bool localnet;
        try
        {
            localnet = new SysctlClient(ns).Read(SysctlKey.RouteLocalnet("all")).Trim() == "1";
        }
        catch (NetfilterException)
        {
            localnet = false;
        }
        return new NatHostInfo(addresses, forwarding, localnet);
    }

    /// <summary>True when <paramref name="address"/> is one of the host's own addresses (or loopback).</summary>
    public bool IsLocal(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }
        foreach (InterfaceAddress a in _addresses)
        {
            if (a.Address.Equals(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The directly connected network that holds <paramref name="address"/>, if any (the longest prefix wins).</summary>
    public IPNetwork? ConnectedNetwork(IPAddress address)
    {
        IPNetwork? best = null;
        foreach (InterfaceAddress a in _addresses)
        {
            IPNetwork network = a.Network;
            if (network.Contains(address) && (best is null || network.PrefixLength > best.Value.PrefixLength))
            {
                best = network;
            }
        }
        return best;
    }

    /// <summary>Why the rules would not work on this host, each with the fix.</summary>
    public List<NatWarning> Warnings(IEnumerable<NatRule> rules, NetworkNamespace? ns)
    {
        var warnings = new List<NatWarning>();
        string where = ns is null || ns.IsCurrent ? "this namespace" : ns.Description;
        foreach (NatRule rule in rules)
        {
            if (rule is not DnatRule dnat)
            {
                continue;
            }
            bool v4 = dnat.ToAddress.AddressFamily == AddressFamily.InterNetwork;
            if (v4 && IPAddress.IsLoopback(dnat.ToAddress)) // 127.0.0.0/8
            {
                if (!RouteLocalnet)
                {
                    warnings.Add(new NatWarning(NatWarningKind.LoopbackTarget, dnat, NetfilterFamily.IPv4, where));
                }
                continue;
            }
            NetfilterFamily family = v4 ? NetfilterFamily.IPv4 : NetfilterFamily.IPv6;
            if (!IsLocal(dnat.ToAddress) && !Forwarding.IsEnabled(family))
            {
                warnings.Add(new NatWarning(NatWarningKind.ForwardingOff, dnat, family, where));
            }
        }
        return warnings;
    }
}
