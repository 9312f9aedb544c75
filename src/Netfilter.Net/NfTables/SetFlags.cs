using System;

namespace Netfilter.Net.NfTables;

/// <summary>Set flags (uapi nf_tables.h, enum nft_set_flags).</summary>
[Flags]
public enum SetFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>NFT_SET_ANONYMOUS: bound to one rule, deleted with it.</summary>
    Anonymous = 0x1,
    /// <summary>NFT_SET_CONSTANT: elements cannot change.</summary>
    Constant = 0x2,
    /// <summary>NFT_SET_INTERVAL: elements are ranges / prefixes.</summary>
    Interval = 0x4,
    /// <summary>NFT_SET_MAP: elements map a key to data.</summary>
    Map = 0x8,
    /// <summary>NFT_SET_TIMEOUT: elements can expire.</summary>
    Timeout = 0x10,
    /// <summary>NFT_SET_EVAL: filled from the packet path (dynset).</summary>
    Eval = 0x20,
    /// <summary>NFT_SET_OBJECT: maps to stateful objects.</summary>
    Object = 0x40,
    /// <summary>NFT_SET_CONCAT: the key is a concatenation with ranges.</summary>
    Concat = 0x80,
    /// <summary>NFT_SET_EXPR: elements carry expressions.</summary>
    Expression = 0x100,
}
