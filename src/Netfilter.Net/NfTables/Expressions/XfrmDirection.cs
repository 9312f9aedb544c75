namespace Netfilter.Net.NfTables.Expressions;

/// <summary>Which IPsec state xfrm looks at (uapi xfrm.h XFRM_POLICY_IN/OUT, NFTA_XFRM_DIR).</summary>
public enum XfrmDirection : byte
{
    /// <summary>XFRM_POLICY_IN: the state that decapsulated an incoming packet (nft "ipsec in").</summary>
    In = 0,
    /// <summary>XFRM_POLICY_OUT: the state that will encapsulate an outgoing packet (nft "ipsec out").</summary>
    Out = 1,
}
