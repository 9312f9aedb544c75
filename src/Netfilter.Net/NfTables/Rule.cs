using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NfTables;

/// <summary>An nftables rule: a list of expressions run in order, in one chain.</summary>
public sealed record Rule
{
    /// <summary>A rule for chain <paramref name="chain"/> of table <paramref name="table"/>.</summary>
    public Rule(NetfilterFamily family, string table, string chain, IReadOnlyList<NftExpression> expressions)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(chain);
        ArgumentNullException.ThrowIfNull(expressions);
        Family = family;
        Table = table;
        Chain = chain;
        Expressions = expressions;
    }

    /// <summary>The table's family.</summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>The table.</summary>
    public string Table { get; init; }

    /// <summary>The chain.</summary>
    public string Chain { get; init; }

    /// <summary>The expressions, in order.</summary>
    public IReadOnlyList<NftExpression> Expressions { get; init; }

    /// <summary>The kernel-assigned handle; 0 for a rule not yet in the kernel.</summary>
    public ulong Handle { get; init; }

    /// <summary>NFTA_RULE_POSITION: as dumped, the handle of the previous rule in the chain.</summary>
    public ulong? Position { get; init; }

    /// <summary>NFTA_RULE_USERDATA, raw. Use <see cref="WithComment"/> to set a comment the way nft does.</summary>
    public ReadOnlyMemory<byte> UserData { get; init; }

    /// <summary>NFTA_RULE_ID: a transaction-local id.</summary>
    public uint? Id { get; init; }

    /// <summary>The comment (shown by <c>nft list ruleset</c> as <c>comment "..."</c>), if any.</summary>
    public string? Comment => UserData.IsEmpty ? null : NfTables.UserData.ReadComment(UserData.Span);

    /// <summary>A copy with <paramref name="comment"/> stored as nft stores it.</summary>
    public Rule WithComment(string comment) => this with { UserData = NfTables.UserData.Comment(comment) };
}
