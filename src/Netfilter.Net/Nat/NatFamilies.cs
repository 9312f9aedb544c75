using System;

namespace Netfilter.Net.Nat;

/// <summary>Which IP versions a typed NAT rule applies to.</summary>
[Flags]
public enum NatFamilies
{
    /// <summary>IPv4 only.</summary>
    IPv4 = 1,

    /// <summary>IPv6 only.</summary>
    IPv6 = 2,

    /// <summary>IPv4 and IPv6.</summary>
    Both = IPv4 | IPv6,
}
