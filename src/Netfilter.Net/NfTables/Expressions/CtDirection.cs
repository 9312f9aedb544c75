namespace Netfilter.Net.NfTables.Expressions;

/// <summary>Conntrack tuple direction (uapi netfilter/nf_conntrack_tuple_common.h, enum ip_conntrack_dir).</summary>
public enum CtDirection : byte
{
    /// <summary>IP_CT_DIR_ORIGINAL: original.</summary>
    Original = 0,
    /// <summary>IP_CT_DIR_REPLY: reply.</summary>
    Reply = 1,
}
