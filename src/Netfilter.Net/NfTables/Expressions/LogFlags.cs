using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>What the log expression adds to a syslog line (uapi netfilter/nf_log.h, NF_LOG_*).</summary>
[Flags]
public enum LogFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>NF_LOG_TCPSEQ: TCP sequence numbers (nft <c>flags tcp sequence</c>).</summary>
    TcpSequence = 0x01,
    /// <summary>NF_LOG_TCPOPT: TCP options (nft <c>flags tcp options</c>).</summary>
    TcpOptions = 0x02,
    /// <summary>NF_LOG_IPOPT: IP options (nft <c>flags ip options</c>).</summary>
    IPOptions = 0x04,
    /// <summary>NF_LOG_UID: the uid of the local socket (nft <c>flags skuid</c>).</summary>
    SocketUid = 0x08,
    /// <summary>NF_LOG_MACDECODE: decode the MAC header (nft <c>flags ether</c>).</summary>
    MacDecode = 0x20,
    /// <summary>NF_LOG_MASK: all of the above (nft <c>flags all</c>).</summary>
    All = 0x2f,
}
