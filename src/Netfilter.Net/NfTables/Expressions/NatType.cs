namespace Netfilter.Net.NfTables.Expressions;

/// <summary>NAT direction (uapi nf_tables.h, enum nft_nat_types).</summary>
public enum NatType : uint
{
    /// <summary>NFT_NAT_SNAT: rewrite the source (postrouting/input).</summary>
    Snat = 0,
    /// <summary>NFT_NAT_DNAT: rewrite the destination (prerouting/output).</summary>
    Dnat = 1,
}
