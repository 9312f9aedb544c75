namespace Netfilter.Net.Conntrack;

/// <summary>Which end of a DCCP connection a direction's sender is (enum ct_dccp_roles, kernel include/linux/netfilter/nf_conntrack_dccp.h).</summary>
public enum DccpConntrackRole : byte
{
    /// <summary>CT_DCCP_ROLE_CLIENT.</summary>
    Client = 0,
    /// <summary>CT_DCCP_ROLE_SERVER.</summary>
    Server = 1,
}
