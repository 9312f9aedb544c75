using System.Globalization;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Output;

/// <summary>
/// One line of <c>nfnet log --json</c>: a finished connection (<c>"type": "connection"</c>), the
/// start notice (<c>"started"</c>) or a loss of events (<c>"lost"</c>). Times are ISO 8601 UTC;
/// byte and packet fields are left out when accounting was off (unknown, not 0).
/// </summary>
internal sealed class NatAccessJson
{
    /// <summary>"started", "connection" or "lost".</summary>
    public required string Type { get; init; }

    /// <summary>The --netns name, or null for the current namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>The table whose connections are logged.</summary>
    public string? Table { get; init; }

    /// <summary>started: whether nf_conntrack_acct is on (null: unknown).</summary>
    public bool? Accounting { get; init; }

    /// <summary>started: whether nf_conntrack_timestamp is on.</summary>
    public bool? Timestamps { get; init; }

    /// <summary>started: the table's connections already open.</summary>
    public int? Open { get; init; }

    /// <summary>lost: open connections that ended unseen (not reported).</summary>
    public int? LostConnections { get; init; }

    /// <summary>connection: the conntrack id.</summary>
    public uint? Id { get; init; }

    /// <summary>connection: "tcp" or "udp".</summary>
    public string? Protocol { get; init; }

    /// <summary>connection: the client's address.</summary>
    public string? Client { get; init; }

    public int? ClientPort { get; init; }

    /// <summary>connection: the address the client connected to.</summary>
    public string? PublicAddress { get; init; }

    public int? PublicPort { get; init; }

    /// <summary>connection: the rule's canonical text, as <c>nfnet list</c> prints it.</summary>
    public string? Rule { get; init; }

    /// <summary>connection: where it was sent.</summary>
    public string? Target { get; init; }

    public int? TargetPort { get; init; }

    /// <summary>connection: when it started; null when unknown.</summary>
    public string? Start { get; init; }

    /// <summary>connection: "kernel", "observed" or "unknown".</summary>
    public string? StartSource { get; init; }

    public string? End { get; init; }

    public string? EndSource { get; init; }

    /// <summary>connection: seconds; null when the start is unknown.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>connection: client to server.</summary>
    public ulong? ClientBytes { get; init; }

    public ulong? ClientPackets { get; init; }

    /// <summary>connection: server to client.</summary>
    public ulong? ServerBytes { get; init; }

    public ulong? ServerPackets { get; init; }

    /// <summary>connection: it was open before the log saw it start.</summary>
    public bool? WasOpen { get; init; }

    public static NatAccessJson From(NatAccessLogItem item, string? ns, string table)
    {
        if (item.Record is not NatAccessRecord r)
        {
            return item.Type == NatAccessLogItemType.Lost
                ? new NatAccessJson { Type = "lost", Namespace = ns, Table = table, LostConnections = item.LostConnections }
                : new NatAccessJson { Type = "started", Namespace = ns, Table = table, Accounting = item.Accounting, Timestamps = item.Timestamps, Open = item.OpenConnections };
        }
        return new NatAccessJson
        {
            Type = "connection",
            Namespace = ns,
            Table = table,
            Id = r.Id,
            Protocol = ConntrackText.Protocol(r.Protocol),
            Client = r.Client.Address.ToString(),
            ClientPort = r.Client.Port,
            PublicAddress = r.Public.Address.ToString(),
            PublicPort = r.PublicPort,
            Rule = r.RuleText,
            Target = r.Target.Address.ToString(),
            TargetPort = r.Target.Port,
            Start = r.Start?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            StartSource = Source(r.StartSource),
            End = r.End.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            EndSource = Source(r.EndSource),
            DurationSeconds = r.Duration?.TotalSeconds,
            ClientBytes = r.ClientToServer?.Bytes,
            ClientPackets = r.ClientToServer?.Packets,
            ServerBytes = r.ServerToClient?.Bytes,
            ServerPackets = r.ServerToClient?.Packets,
            WasOpen = r.WasOpen,
        };
    }

    private static string Source(NatAccessTimeSource source) => source switch
    {
        NatAccessTimeSource.Kernel => "kernel",
        NatAccessTimeSource.Observed => "observed",
        _ => "unknown",
    };
}
