using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>queue flags (uapi nf_tables.h, NFT_QUEUE_FLAG_*).</summary>
[Flags]
public enum QueueFlags : ushort
{
    /// <summary>No flags: packets are dropped when no program listens on the queue.</summary>
    None = 0,
    /// <summary>NFT_QUEUE_FLAG_BYPASS: accept packets when no program listens (nft "bypass").</summary>
    Bypass = 0x01,
    /// <summary>NFT_QUEUE_FLAG_CPU_FANOUT: spread over the queue range by CPU instead of by hash (nft "fanout").</summary>
    CpuFanout = 0x02,
}
