namespace Netfilter.Net.Nat;

/// <summary>What a <see cref="NatAccessLogItem"/> says.</summary>
public enum NatAccessLogItemType
{
    /// <summary>
    /// The log is listening: every connection the table translates from now on will be reported
    /// (or counted as lost). Comes once, first, with what the log knows about accounting and the
    /// connections already open.
    /// </summary>
    Started,

    /// <summary>A connection ended: <see cref="NatAccessLogItem.Record"/> describes it.</summary>
    Connection,

    /// <summary>
    /// The kernel dropped events (its socket buffer overflowed, ENOBUFS): the log re-read the table,
    /// and <see cref="NatAccessLogItem.LostConnections"/> connections it knew of ended unseen (they
    /// are not reported); connections that started and ended within the gap are not known at all.
    /// </summary>
    Lost,
}
