namespace Netfilter.Net.NfTables.Expressions;

/// <summary>Which kind of header exthdr walks (uapi nf_tables.h, enum nft_exthdr_op).</summary>
public enum ExthdrOp : uint
{
    /// <summary>NFT_EXTHDR_OP_IPV6: IPv6 extension headers; the type is the header number (hbh 0, rt 43, frag 44...).</summary>
    IPv6 = 0,
    /// <summary>NFT_EXTHDR_OP_TCPOPT: TCP options; the type is the option kind (maxseg 2, sack-perm 4...).</summary>
    TcpOption = 1,
    /// <summary>NFT_EXTHDR_OP_IPV4: IPv4 options; the type is the option number (rr 7, lsrr 131...).</summary>
    IPv4 = 2,
    /// <summary>NFT_EXTHDR_OP_SCTP: SCTP chunks; the type is the chunk type.</summary>
    Sctp = 3,
    /// <summary>NFT_EXTHDR_OP_DCCP: DCCP options (kernel 5.18).</summary>
    Dccp = 4,
}
