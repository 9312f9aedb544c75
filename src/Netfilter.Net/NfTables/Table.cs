using System;

namespace Netfilter.Net.NfTables;

/// <summary>
/// An nftables table, as held by the kernel: a named container of chains, sets and objects in
/// one <see cref="NetfilterFamily"/>.
/// </summary>
public sealed record Table
{
    /// <summary>Creates a table description.</summary>
    /// <param name="family">The family: <see cref="NetfilterFamily.Inet"/> covers IPv4 and IPv6.</param>
    /// <param name="name">The name, at most 255 bytes.</param>
    public Table(NetfilterFamily family, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Family = family;
        Name = name;
    }

    /// <summary>The table's family.</summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>The table's name, unique within its family.</summary>
    public string Name { get; init; }

    /// <summary>Flags (dormant, owner, persist).</summary>
    public TableFlags Flags { get; init; }

    /// <summary>The kernel-assigned handle; 0 for a table not read from the kernel.</summary>
    public ulong Handle { get; init; }

    /// <summary>NFTA_TABLE_USE: how many chains the table holds (read-only, from the kernel).</summary>
    public uint Use { get; init; }

    /// <summary>NFTA_TABLE_OWNER: the netlink port id of the owning socket when <see cref="TableFlags.Owner"/> is set.</summary>
    public uint? Owner { get; init; }

    /// <summary>NFTA_TABLE_USERDATA, raw: nft keeps the comment here as a TLV.</summary>
    public ReadOnlyMemory<byte> UserData { get; init; }
}
