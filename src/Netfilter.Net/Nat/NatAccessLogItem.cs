namespace Netfilter.Net.Nat;

/// <summary>One item of <see cref="NatAccessLog.ReadAsync"/>: the start notice, a finished connection, or a loss of events.</summary>
public sealed record NatAccessLogItem
{
    private NatAccessLogItem(NatAccessLogItemType type)
    {
        Type = type;
    }

    /// <summary>What this item says.</summary>
    public NatAccessLogItemType Type { get; }

    /// <summary>The finished connection, for <see cref="NatAccessLogItemType.Connection"/>; null otherwise.</summary>
    public NatAccessRecord? Record { get; private init; }

    /// <summary>For <see cref="NatAccessLogItemType.Lost"/>: how many connections the log was following ended while events were lost (they are not reported). 0 otherwise.</summary>
    public int LostConnections { get; private init; }

    /// <summary>
    /// For <see cref="NatAccessLogItemType.Started"/>: whether <c>net.netfilter.nf_conntrack_acct</c>
    /// is on in the namespace (connections that start from now on carry byte and packet counts); null
    /// when the log has no sysctl client to read it.
    /// </summary>
    public bool? Accounting { get; private init; }

    /// <summary>For <see cref="NatAccessLogItemType.Started"/>: whether <c>net.netfilter.nf_conntrack_timestamp</c> is on (start and end times come from the kernel); null when unknown.</summary>
    public bool? Timestamps { get; private init; }

    /// <summary>For <see cref="NatAccessLogItemType.Started"/>: the table's connections already open, which the log follows (with <see cref="NatAccessLogOptions.IncludeOpen"/>) or leaves out (without).</summary>
    public int OpenConnections { get; private init; }

    internal static NatAccessLogItem ForStart(bool? accounting, bool? timestamps, int open) =>
        new(NatAccessLogItemType.Started) { Accounting = accounting, Timestamps = timestamps, OpenConnections = open };

    internal static NatAccessLogItem ForConnection(NatAccessRecord record) => new(NatAccessLogItemType.Connection) { Record = record };

    internal static NatAccessLogItem ForLoss(int lostConnections) => new(NatAccessLogItemType.Lost) { LostConnections = lostConnections };

    /// <summary>The record's line, or a line saying what the notice means.</summary>
    public override string ToString() => Type switch
    {
        NatAccessLogItemType.Connection => Record!.ToString(),
        NatAccessLogItemType.Lost => $"lost: the kernel dropped events (its buffer overflowed); {LostConnections} open connection(s) ended unseen and are not reported, and connections that began and ended in the gap are unknown",
        _ => $"started: {OpenConnections} connection(s) open; accounting {OnOff(Accounting)}, timestamps {OnOff(Timestamps)}",
    };

    private static string OnOff(bool? value) => value switch
    {
        true => "on",
        false => "off",
        null => "unknown",
    };
}
