using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Cli.Output;

/// <summary>One conntrack entry in <c>nfnet conntrack list --json</c> and <c>watch --json</c>.</summary>
internal sealed class ConntrackEntryJson
{
    /// <summary>"ipv4" or "ipv6".</summary>
    public required string Family { get; init; }

    /// <summary>"tcp", "udp", "icmp", "icmpv6", "sctp", ... or the protocol number.</summary>
    public required string Protocol { get; init; }

    public required ConntrackTupleJson Original { get; init; }

    public required ConntrackTupleJson Reply { get; init; }

    /// <summary>The TCP state as conntrack(8) names it (ESTABLISHED, TIME_WAIT, ...), for TCP.</summary>
    public string? State { get; init; }

    /// <summary>Seconds left before the entry expires.</summary>
    public long? Timeout { get; init; }

    /// <summary>The kernel's IPS_* status bits, by name without the prefix (SEEN_REPLY, ASSURED, DST_NAT, ...).</summary>
    public required List<string> Status { get; init; }

    public uint Mark { get; init; }

    public ushort Zone { get; init; }

    public uint? Id { get; init; }

    /// <summary>Present when the source or destination was translated.</summary>
    public ConntrackTranslationJson? Translation { get; init; }

    public static ConntrackEntryJson From(ConntrackEntry entry) => new()
    {
        Family = entry.Family == ProtocolFamily.IPv6 ? "ipv6" : "ipv4",
        Protocol = ConntrackText.Protocol(entry.Protocol),
        Original = ConntrackTupleJson.From(entry.Original),
        Reply = ConntrackTupleJson.From(entry.Reply),
        State = entry.TcpState is TcpConntrackState state ? ConntrackText.State(state) : null,
        Timeout = entry.Timeout is System.TimeSpan t ? (long)t.TotalSeconds : null,
        Status = ConntrackText.Status(entry.Status),
        Mark = entry.Mark,
        Zone = entry.Zone,
        Id = entry.Id,
        Translation = entry.Translation is ConntrackNat nat ? ConntrackTranslationJson.From(nat) : null,
    };
}

/// <summary>One direction of a connection.</summary>
internal sealed class ConntrackTupleJson
{
    public required string Source { get; init; }

    public required string Destination { get; init; }

    public ushort? SourcePort { get; init; }

    public ushort? DestinationPort { get; init; }

    public byte? IcmpType { get; init; }

    public byte? IcmpCode { get; init; }

    public ushort? IcmpId { get; init; }

    public static ConntrackTupleJson From(ConntrackTuple tuple) => new()
    {
        Source = tuple.Source.ToString(),
        Destination = tuple.Destination.ToString(),
        SourcePort = tuple.SourcePort,
        DestinationPort = tuple.DestinationPort,
        IcmpType = tuple.IcmpType,
        IcmpCode = tuple.IcmpCode,
        IcmpId = tuple.IcmpId,
    };
}

/// <summary>The translation in plain words: where the client was going, where it was sent, which source the server saw.</summary>
internal sealed class ConntrackTranslationJson
{
    /// <summary>"ADDR:PORT" (IPv6 in brackets); the address alone for protocols without ports.</summary>
    public required string OriginalSource { get; init; }

    public required string OriginalDestination { get; init; }

    public required string TranslatedDestination { get; init; }

    public required string TranslatedSource { get; init; }

    public bool DestinationTranslated { get; init; }

    public bool SourceTranslated { get; init; }

    /// <summary>"10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:40000".</summary>
    public required string Text { get; init; }

    public static ConntrackTranslationJson From(ConntrackNat nat) => new()
    {
        OriginalSource = Endpoint(nat.OriginalSource, nat.HasPorts),
        OriginalDestination = Endpoint(nat.OriginalDestination, nat.HasPorts),
        TranslatedDestination = Endpoint(nat.TranslatedDestination, nat.HasPorts),
        TranslatedSource = Endpoint(nat.TranslatedSource, nat.HasPorts),
        DestinationTranslated = nat.IsDestinationTranslated,
        SourceTranslated = nat.IsSourceTranslated,
        Text = nat.ToString(),
    };

    private static string Endpoint(IPEndPoint endpoint, bool hasPorts)
    {
        if (!hasPorts)
        {
            return endpoint.Address.ToString();
        }
        string address = endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        return address + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary><c>nfnet conntrack list --json</c>.</summary>
internal sealed class ConntrackListJson
{
    public string? Namespace { get; init; }

    public required List<ConntrackEntryJson> Entries { get; init; }
}

/// <summary>One line of <c>nfnet conntrack watch --json</c> (JSON lines: one object per line).</summary>
internal sealed class ConntrackEventJson
{
    /// <summary>"new", "update", "destroy"; "lost" when the kernel dropped events; "snapshot" for the table as it is (at start and after a loss).</summary>
    public required string Type { get; init; }

    /// <summary>For new, update and destroy.</summary>
    public ConntrackEntryJson? Entry { get; init; }

    /// <summary>For snapshot.</summary>
    public List<ConntrackEntryJson>? Entries { get; init; }
}

/// <summary><c>nfnet conntrack stats --json</c>: the table's size and limit, and the per-CPU counters summed.</summary>
internal sealed class ConntrackStatsJson
{
    public string? Namespace { get; init; }

    public uint Entries { get; init; }

    public uint Max { get; init; }

    public ulong Found { get; init; }

    public ulong Invalid { get; init; }

    public ulong Insert { get; init; }

    public ulong InsertFailed { get; init; }

    public ulong Drop { get; init; }

    public ulong EarlyDrop { get; init; }

    public ulong Error { get; init; }

    public ulong SearchRestart { get; init; }

    public ulong ClashResolve { get; init; }

    public ulong ChainTooLong { get; init; }

    public int Cpus { get; init; }
}
