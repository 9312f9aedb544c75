using System;

namespace Netfilter.Net.Diagnostics;

/// <summary>Which IP versions a rule can match (an inet chain sees both until <c>meta nfproto</c> narrows it).</summary>
[Flags]
internal enum IpFamilies
{
    None = 0,
    IPv4 = 1,
    IPv6 = 2,
    Both = IPv4 | IPv6,
}
