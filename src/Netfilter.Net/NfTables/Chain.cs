using System;

namespace Netfilter.Net.NfTables;

/// <summary>
/// An nftables chain. A base chain has a <see cref="Hook"/>, a <see cref="Type"/> and a
/// <see cref="Policy"/> and sees packets; a regular chain is reached only by jump/goto.
/// </summary>
public sealed record Chain
{
    /// <summary>A chain named <paramref name="name"/> in table <paramref name="table"/> of <paramref name="family"/>.</summary>
    public Chain(NetfilterFamily family, string table, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Family = family;
        Table = table;
        Name = name;
    }

    /// <summary>The table's family.</summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>The table.</summary>
    public string Table { get; init; }

    /// <summary>The chain's name.</summary>
    public string Name { get; init; }

    /// <summary>The kernel-assigned handle (0 for a chain not read from the kernel).</summary>
    public ulong Handle { get; init; }

    /// <summary>For base chains: where it hooks.</summary>
    public ChainHook? Hook { get; init; }

    /// <summary>For base chains: "filter", "nat" or "route" (NFTA_CHAIN_TYPE).</summary>
    public string? Type { get; init; }

    /// <summary>For base chains: the verdict for packets no rule decided (accept or drop).</summary>
    public VerdictKind? Policy { get; init; }

    /// <summary>NFTA_CHAIN_FLAGS (NFT_CHAIN_BASE 0x1, NFT_CHAIN_HW_OFFLOAD 0x2, NFT_CHAIN_BINDING 0x4), when present.</summary>
    public uint? Flags { get; init; }

    /// <summary>NFTA_CHAIN_USE: references to the chain (read-only).</summary>
    public uint Use { get; init; }

    /// <summary>NFTA_CHAIN_ID: a transaction-local id, so rules in the same batch can name a new chain.</summary>
    public uint? Id { get; init; }

    /// <summary>NFTA_CHAIN_USERDATA, raw.</summary>
    public ReadOnlyMemory<byte> UserData { get; init; }

    /// <summary>The comment nft stores in the userdata, if any.</summary>
    public string? Comment => UserData.IsEmpty ? null : NfTables.UserData.ReadComment(UserData.Span);

    /// <summary>True for a base chain.</summary>
    public bool IsBaseChain => Hook is not null;
}
