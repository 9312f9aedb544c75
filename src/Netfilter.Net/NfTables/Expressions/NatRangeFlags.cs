using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>NAT range flags (uapi netfilter/nf_nat.h, NF_NAT_RANGE_*), shared by nat, masq and redir.</summary>
[Flags]
public enum NatRangeFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>NF_NAT_RANGE_MAP_IPS: an address (range) is given. The kernel sets it whenever an address register is.</summary>
    MapIps = 1 << 0,
    /// <summary>NF_NAT_RANGE_PROTO_SPECIFIED: a port (range) is given.</summary>
    ProtoSpecified = 1 << 1,
    /// <summary>NF_NAT_RANGE_PROTO_RANDOM: nft's "random".</summary>
    ProtoRandom = 1 << 2,
    /// <summary>NF_NAT_RANGE_PERSISTENT: nft's "persistent": the same client keeps the same address.</summary>
    Persistent = 1 << 3,
    /// <summary>NF_NAT_RANGE_PROTO_RANDOM_FULLY: nft's "fully-random".</summary>
    ProtoRandomFully = 1 << 4,
    /// <summary>NF_NAT_RANGE_PROTO_OFFSET.</summary>
    ProtoOffset = 1 << 5,
    /// <summary>NF_NAT_RANGE_NETMAP: prefix-to-prefix mapping.</summary>
    Netmap = 1 << 6,
}
