using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>osf flags (uapi nf_tables.h, enum nft_osf_flags).</summary>
[Flags]
public enum OsfFlags : uint
{
    /// <summary>Load the OS genre only.</summary>
    None = 0,
    /// <summary>NFT_OSF_F_VERSION: load "genre:version" (nft "osf version").</summary>
    Version = 1 << 0,
}
