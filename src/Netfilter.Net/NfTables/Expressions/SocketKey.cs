namespace Netfilter.Net.NfTables.Expressions;

/// <summary>What socket loads from the socket a packet belongs to (uapi nf_tables.h, enum nft_socket_keys).</summary>
public enum SocketKey : uint
{
    /// <summary>NFT_SOCKET_TRANSPARENT: 1 when the socket has IP_TRANSPARENT set (nft "socket transparent").</summary>
    Transparent = 0,
    /// <summary>NFT_SOCKET_MARK: the socket's SO_MARK (nft "socket mark").</summary>
    Mark = 1,
    /// <summary>NFT_SOCKET_WILDCARD: 1 when the socket is bound to the wildcard address (nft "socket wildcard").</summary>
    Wildcard = 2,
    /// <summary>NFT_SOCKET_CGROUPV2: the socket's cgroup v2 id at <see cref="SocketExpression.Level"/> (nft "socket cgroupv2 level N").</summary>
    CgroupV2 = 3,
}
