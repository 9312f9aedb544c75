namespace Netfilter.Net.NfTables.Expressions;

/// <summary>bitwise operations (uapi nf_tables.h, enum nft_bitwise_ops).</summary>
public enum BitwiseOperation : uint
{
    /// <summary>NFT_BITWISE_MASK_XOR (NFT_BITWISE_BOOL in older headers): <c>dst = (src &amp; mask) ^ xor</c>.</summary>
    MaskXor = 0,
    /// <summary>NFT_BITWISE_LSHIFT: <c>dst = src &lt;&lt; data</c>.</summary>
    LeftShift = 1,
    /// <summary>NFT_BITWISE_RSHIFT: <c>dst = src &gt;&gt; data</c>.</summary>
    RightShift = 2,
    /// <summary>NFT_BITWISE_AND (kernel 6.13; not in the 6.1 uapi header): <c>dst = src &amp; (sreg2 | data)</c>.</summary>
    And = 3,
    /// <summary>NFT_BITWISE_OR (kernel 6.13): <c>dst = src | (sreg2 | data)</c>.</summary>
    Or = 4,
    /// <summary>NFT_BITWISE_XOR (kernel 6.13): <c>dst = src ^ (sreg2 | data)</c>.</summary>
    Xor = 5,
}
