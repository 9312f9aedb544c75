namespace Netfilter.Net.NfTables.Expressions;

/// <summary>Syslog levels of the log expression (uapi nf_tables.h, enum nft_log_level).</summary>
public enum LogLevel : uint
{
    /// <summary>NFT_LOGLEVEL_EMERG: emerg.</summary>
    Emergency = 0,
    /// <summary>NFT_LOGLEVEL_ALERT: alert.</summary>
    Alert = 1,
    /// <summary>NFT_LOGLEVEL_CRIT: crit.</summary>
    Critical = 2,
    /// <summary>NFT_LOGLEVEL_ERR: err.</summary>
    Error = 3,
    /// <summary>NFT_LOGLEVEL_WARNING: warn, the kernel's default.</summary>
    Warning = 4,
    /// <summary>NFT_LOGLEVEL_NOTICE: notice.</summary>
    Notice = 5,
    /// <summary>NFT_LOGLEVEL_INFO: info.</summary>
    Info = 6,
    /// <summary>NFT_LOGLEVEL_DEBUG: debug.</summary>
    Debug = 7,
    /// <summary>NFT_LOGLEVEL_AUDIT: audit (to the audit subsystem, not syslog).</summary>
    Audit = 8,
}
