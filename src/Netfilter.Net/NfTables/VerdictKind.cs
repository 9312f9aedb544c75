namespace Netfilter.Net.NfTables;

/// <summary>Verdict codes (uapi netfilter.h NF_* and nf_tables.h enum nft_verdicts).</summary>
public enum VerdictKind
{
    /// <summary>NF_DROP.</summary>
    Drop = 0,
    /// <summary>NF_ACCEPT.</summary>
    Accept = 1,
    /// <summary>NF_STOLEN.</summary>
    Stolen = 2,
    /// <summary>NF_QUEUE.</summary>
    Queue = 3,
    /// <summary>NF_REPEAT.</summary>
    Repeat = 4,
    /// <summary>NF_STOP.</summary>
    Stop = 5,
    /// <summary>NFT_CONTINUE.</summary>
    Continue = -1,
    /// <summary>NFT_BREAK.</summary>
    Break = -2,
    /// <summary>NFT_JUMP: to a chain, and come back.</summary>
    Jump = -3,
    /// <summary>NFT_GOTO: to a chain, without coming back.</summary>
    Goto = -4,
    /// <summary>NFT_RETURN.</summary>
    Return = -5,
}
