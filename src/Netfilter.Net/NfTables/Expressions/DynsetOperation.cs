namespace Netfilter.Net.NfTables.Expressions;

/// <summary>What dynset does with the element (uapi nf_tables.h, enum nft_dynset_ops).</summary>
public enum DynsetOperation : uint
{
    /// <summary>NFT_DYNSET_OP_ADD: add the element if it is not there (nft <c>add @set { ... }</c>).</summary>
    Add = 0,
    /// <summary>NFT_DYNSET_OP_UPDATE: add it, or refresh its timeout (nft <c>update @set { ... }</c>).</summary>
    Update = 1,
    /// <summary>NFT_DYNSET_OP_DELETE: remove it (nft <c>delete @set { ... }</c>).</summary>
    Delete = 2,
}
