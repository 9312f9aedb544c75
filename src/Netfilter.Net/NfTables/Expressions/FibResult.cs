namespace Netfilter.Net.NfTables.Expressions;

/// <summary>What a fib lookup yields (uapi nf_tables.h, enum nft_fib_result).</summary>
public enum FibResult : uint
{
    /// <summary>NFT_FIB_RESULT_UNSPEC.</summary>
    Unspecified = 0,
    /// <summary>NFT_FIB_RESULT_OIF: the output interface index (nft "oif").</summary>
    OutputInterface = 1,
    /// <summary>NFT_FIB_RESULT_OIFNAME: the output interface name, 16 bytes (nft "oifname").</summary>
    OutputInterfaceName = 2,
    /// <summary>NFT_FIB_RESULT_ADDRTYPE: the address type, RTN_* (nft "type": local, unicast, ...).</summary>
    AddressType = 3,
}
