using System.Collections.Generic;
using Netfilter.Net.Routing;

namespace Netfilter.Net.Sockets;

/// <summary>What a namespace holds of the policy routing that a <see cref="TproxyRouting"/> describes.</summary>
/// <param name="Rules">The fwmark rules that match (more than one per family when <c>ip rule add</c> ran twice).</param>
/// <param name="Routes">The "local default dev lo" routes in the table, per family.</param>
/// <param name="Missing">What is missing, as the ip(8) commands that would add it; empty when complete.</param>
public sealed record TproxyRoutingState(IReadOnlyList<RoutingRule> Rules, IReadOnlyList<Route> Routes, IReadOnlyList<string> Missing)
{
    /// <summary>True when every family has its rule and its local route: marked packets are delivered locally.</summary>
    public bool IsComplete => Missing.Count == 0;
}
