namespace Netfilter.Net.Conntrack;

/// <summary>
/// The DCCP state conntrack tracks (enum ct_dccp_states in the kernel's
/// include/linux/netfilter/nf_conntrack_dccp.h, "exposed to userspace over nfnetlink"; the
/// header is not installed with the uapi ones).
/// </summary>
public enum DccpConntrackState : byte
{
    /// <summary>CT_DCCP_NONE.</summary>
    None = 0,
    /// <summary>CT_DCCP_REQUEST.</summary>
    Request = 1,
    /// <summary>CT_DCCP_RESPOND.</summary>
    Respond = 2,
    /// <summary>CT_DCCP_PARTOPEN.</summary>
    PartOpen = 3,
    /// <summary>CT_DCCP_OPEN.</summary>
    Open = 4,
    /// <summary>CT_DCCP_CLOSEREQ.</summary>
    CloseRequest = 5,
    /// <summary>CT_DCCP_CLOSING.</summary>
    Closing = 6,
    /// <summary>CT_DCCP_TIMEWAIT.</summary>
    TimeWait = 7,
    /// <summary>CT_DCCP_IGNORE.</summary>
    Ignore = 8,
    /// <summary>CT_DCCP_INVALID.</summary>
    Invalid = 9,
}
