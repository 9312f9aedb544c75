using System;
using System.Collections.Generic;

namespace Netfilter.Net.NfTables;

/// <summary>
/// One ruleset change reported by <see cref="NfTablesMonitor"/>, decoded: the table, chain,
/// rule, set or elements as the kernel announced them, or the end of a transaction
/// (<see cref="NfTablesEventKind.NewGeneration"/>), or a report that events were lost.
/// </summary>
public sealed class NfTablesEvent
{
    private NfTablesEvent(NfTablesEventKind kind, NetfilterFamily family)
    {
        Kind = kind;
        Family = family;
    }

    /// <summary>What happened.</summary>
    public NfTablesEventKind Kind { get; }

    /// <summary>The family of the object (<see cref="NetfilterFamily.Unspecified"/> for generations and lost events).</summary>
    public NetfilterFamily Family { get; }

    /// <summary>For <see cref="NfTablesEventKind.NewTable"/> and <see cref="NfTablesEventKind.DeleteTable"/>.</summary>
    public Table? Table { get; private init; }

    /// <summary>For <see cref="NfTablesEventKind.NewChain"/> and <see cref="NfTablesEventKind.DeleteChain"/>.</summary>
    public Chain? Chain { get; private init; }

    /// <summary>For <see cref="NfTablesEventKind.NewRule"/> and <see cref="NfTablesEventKind.DeleteRule"/>; the rule carries its handle.</summary>
    public Rule? Rule { get; private init; }

    /// <summary>For <see cref="NfTablesEventKind.NewSet"/> and <see cref="NfTablesEventKind.DeleteSet"/>.</summary>
    public Set? Set { get; private init; }

    /// <summary>For element events: the table of the set.</summary>
    public string? TableName { get; private init; }

    /// <summary>For element events: the set or map.</summary>
    public string? SetName { get; private init; }

    /// <summary>For <see cref="NfTablesEventKind.NewElements"/> and <see cref="NfTablesEventKind.DeleteElements"/>.</summary>
    public IReadOnlyList<SetElement>? Elements { get; private init; }

    /// <summary>For <see cref="NfTablesEventKind.NewGeneration"/>: the new generation and the process that committed it.</summary>
    public RulesetGeneration? Generation { get; private init; }

    /// <summary>For <see cref="NfTablesEventKind.Other"/>: the NFT_MSG_* number.</summary>
    public int? MessageType { get; private init; }

    /// <summary>For <see cref="NfTablesEventKind.Other"/>: the message after its netlink header (nfgenmsg and attributes), unchanged.</summary>
    public ReadOnlyMemory<byte> Payload { get; private init; }

    internal static NfTablesEvent ForTable(NfTablesEventKind kind, Table table) => new(kind, table.Family) { Table = table };

    internal static NfTablesEvent ForChain(NfTablesEventKind kind, Chain chain) => new(kind, chain.Family) { Chain = chain };

    internal static NfTablesEvent ForRule(NfTablesEventKind kind, Rule rule) => new(kind, rule.Family) { Rule = rule };

    internal static NfTablesEvent ForSet(NfTablesEventKind kind, Set set) => new(kind, set.Family) { Set = set };

    internal static NfTablesEvent ForElements(NfTablesEventKind kind, NetfilterFamily family, string table, string set, IReadOnlyList<SetElement> elements) =>
        new(kind, family) { TableName = table, SetName = set, Elements = elements };

    internal static NfTablesEvent ForGeneration(RulesetGeneration generation) => new(NfTablesEventKind.NewGeneration, NetfilterFamily.Unspecified) { Generation = generation };

    internal static NfTablesEvent ForOther(int messageType, NetfilterFamily family, ReadOnlyMemory<byte> payload) => new(NfTablesEventKind.Other, family) { MessageType = messageType, Payload = payload };

    internal static NfTablesEvent Lost() => new(NfTablesEventKind.EventsLost, NetfilterFamily.Unspecified);

    /// <summary>A one-line summary, e.g. "NewRule ip nat pre handle 4", "NewGeneration 12 (nft, pid 812)".</summary>
    public override string ToString() => Kind switch
    {
        NfTablesEventKind.NewTable or NfTablesEventKind.DeleteTable => $"{Kind} {FamilyNames.Of(Family)} {Table!.Name}",
        NfTablesEventKind.NewChain or NfTablesEventKind.DeleteChain => $"{Kind} {FamilyNames.Of(Family)} {Chain!.Table} {Chain.Name}",
        NfTablesEventKind.NewRule or NfTablesEventKind.DeleteRule => $"{Kind} {FamilyNames.Of(Family)} {Rule!.Table} {Rule.Chain} handle {Rule.Handle}",
        NfTablesEventKind.NewSet or NfTablesEventKind.DeleteSet => $"{Kind} {FamilyNames.Of(Family)} {Set!.Table} {Set.Name}",
        NfTablesEventKind.NewElements or NfTablesEventKind.DeleteElements => $"{Kind} {FamilyNames.Of(Family)} {TableName} {SetName} ({Elements!.Count})",
        NfTablesEventKind.NewGeneration => $"{Kind} {Generation!.Id} ({Generation.ProcessName}, pid {Generation.ProcessId})",
        NfTablesEventKind.Other => $"{Kind} NFT_MSG {MessageType} {FamilyNames.Of(Family)}",
        _ => Kind.ToString(),
    };
}
