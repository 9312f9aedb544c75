using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>The TCP options a SYN proxy announces (uapi netfilter/nf_synproxy.h, NF_SYNPROXY_OPT_*).</summary>
[Flags]
public enum SynproxyFlags : uint
{
    /// <summary>No options.</summary>
    None = 0,
    /// <summary>NF_SYNPROXY_OPT_MSS: announce the MSS.</summary>
    Mss = 0x01,
    /// <summary>NF_SYNPROXY_OPT_WSCALE: announce the window scale.</summary>
    WindowScale = 0x02,
    /// <summary>NF_SYNPROXY_OPT_SACK_PERM: nft "sack-perm".</summary>
    SackPermitted = 0x04,
    /// <summary>NF_SYNPROXY_OPT_TIMESTAMP: nft "timestamp".</summary>
    Timestamp = 0x08,
    /// <summary>NF_SYNPROXY_OPT_ECN.</summary>
    Ecn = 0x10,
}
