namespace Netfilter.Net.NfTables.Expressions;

/// <summary>byteorder conversions (uapi nf_tables.h, enum nft_byteorder_ops).</summary>
public enum ByteorderOperation : uint
{
    /// <summary>NFT_BYTEORDER_NTOH: network to host order (<c>ntoh</c>).</summary>
    NetworkToHost = 0,
    /// <summary>NFT_BYTEORDER_HTON: host to network order (<c>hton</c>).</summary>
    HostToNetwork = 1,
}
