using System;

namespace Netfilter.Net.Conntrack;

/// <summary>What a <see cref="ConntrackEvent"/> reports.</summary>
public enum ConntrackEventType
{
    /// <summary>A new entry (IPCTNL_MSG_CT_NEW with NLM_F_CREATE, group NFNLGRP_CONNTRACK_NEW).</summary>
    New,
    /// <summary>An entry changed: state, status, mark, labels ... (IPCTNL_MSG_CT_NEW, group NFNLGRP_CONNTRACK_UPDATE).</summary>
    Update,
    /// <summary>An entry was removed (IPCTNL_MSG_CT_DELETE, group NFNLGRP_CONNTRACK_DESTROY).</summary>
    Destroy,
    /// <summary>
    /// Events were lost: the socket's receive buffer overflowed (ENOBUFS). What is known about
    /// the table is no longer reliable; dump it again (<see cref="ConntrackClient.WatchAsync"/> does).
    /// </summary>
    Lost,
    /// <summary>
    /// The whole table, read after subscribing (and after each loss) by <see cref="ConntrackClient.WatchAsync"/>.
    /// With <see cref="ConntrackEventOptions.StreamSnapshot"/> it carries no list: it starts a
    /// snapshot whose entries follow one by one as <see cref="Existing"/> items, up to
    /// <see cref="SnapshotEnd"/>.
    /// </summary>
    Snapshot,
    /// <summary>One entry of a streamed snapshot (<see cref="ConntrackEventOptions.StreamSnapshot"/>), as the dump decoded it.</summary>
    Existing,
    /// <summary>The streamed snapshot is complete: the <see cref="Existing"/> items since the last <see cref="Snapshot"/> are the whole table.</summary>
    SnapshotEnd,
}

/// <summary>Which events to receive; each is a multicast group the event socket joins.</summary>
[Flags]
public enum ConntrackEventTypes
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>New entries (NFNLGRP_CONNTRACK_NEW).</summary>
    New = 1,
    /// <summary>Changes (NFNLGRP_CONNTRACK_UPDATE).</summary>
    Update = 2,
    /// <summary>Removals (NFNLGRP_CONNTRACK_DESTROY).</summary>
    Destroy = 4,
    /// <summary>All three.</summary>
    All = New | Update | Destroy,
}
