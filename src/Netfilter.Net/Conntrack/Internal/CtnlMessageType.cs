namespace Netfilter.Net.Conntrack.Internal;

/// <summary>
/// ctnetlink message types (uapi nfnetlink_conntrack.h, enum cntl_msg_types), sent in
/// subsystem NFNL_SUBSYS_CTNETLINK (1).
/// </summary>
internal static class CtnlMessageType
{
    /// <summary>IPCTNL_MSG_CT_NEW: create or update an entry; also dump replies and NEW/UPDATE events.</summary>
    public const byte New = 0;
    /// <summary>IPCTNL_MSG_CT_GET: get one entry by tuple, or dump the table (NLM_F_DUMP).</summary>
    public const byte Get = 1;
    /// <summary>IPCTNL_MSG_CT_DELETE: delete one entry by tuple, or flush (no tuple); also DESTROY events.</summary>
    public const byte Delete = 2;
    /// <summary>IPCTNL_MSG_CT_GET_CTRZERO: dump and zero the counters of what was dumped.</summary>
    public const byte GetCounterZero = 3;
    /// <summary>IPCTNL_MSG_CT_GET_STATS_CPU: per-CPU statistics (a dump, one message per CPU, res_id = cpu).</summary>
    public const byte GetStatsCpu = 4;
    /// <summary>IPCTNL_MSG_CT_GET_STATS: global count and limit.</summary>
    public const byte GetStats = 5;
    /// <summary>IPCTNL_MSG_CT_GET_DYING.</summary>
    public const byte GetDying = 6;
    /// <summary>IPCTNL_MSG_CT_GET_UNCONFIRMED.</summary>
    public const byte GetUnconfirmed = 7;
}

/// <summary>
/// ctnetlink expectation message types (uapi nfnetlink_conntrack.h, enum ctnl_exp_msg_types),
/// sent in subsystem NFNL_SUBSYS_CTNETLINK_EXP (2).
/// </summary>
internal static class CtnlExpectationMessageType
{
    /// <summary>IPCTNL_MSG_EXP_NEW.</summary>
    public const byte New = 0;
    /// <summary>IPCTNL_MSG_EXP_GET.</summary>
    public const byte Get = 1;
    /// <summary>IPCTNL_MSG_EXP_DELETE.</summary>
    public const byte Delete = 2;
    /// <summary>IPCTNL_MSG_EXP_GET_STATS_CPU.</summary>
    public const byte GetStatsCpu = 3;
}
