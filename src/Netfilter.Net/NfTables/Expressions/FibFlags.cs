using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>Which packet fields key a fib lookup (uapi nf_tables.h, enum nft_fib_flags).</summary>
[Flags]
public enum FibFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>NFTA_FIB_F_SADDR: look up the source address.</summary>
    SourceAddress = 1 << 0,
    /// <summary>NFTA_FIB_F_DADDR: look up the destination address.</summary>
    DestinationAddress = 1 << 1,
    /// <summary>NFTA_FIB_F_MARK: use the packet mark.</summary>
    Mark = 1 << 2,
    /// <summary>NFTA_FIB_F_IIF: restrict to the input interface.</summary>
    InputInterface = 1 << 3,
    /// <summary>NFTA_FIB_F_OIF: restrict to the output interface.</summary>
    OutputInterface = 1 << 4,
    /// <summary>NFTA_FIB_F_PRESENT: only check that a result exists (nft "exists"/"missing").</summary>
    Present = 1 << 5,
}
