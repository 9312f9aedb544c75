namespace Netfilter.Net.Cli.Output;

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
