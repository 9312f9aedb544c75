namespace Netfilter.Net.NfTables;

/// <summary>
/// The ruleset generation (NFT_MSG_GETGEN): a counter the kernel increments on every committed
/// transaction. Two reads with the same <see cref="Id"/> saw the same ruleset.
/// </summary>
/// <param name="Id">NFTA_GEN_ID: the generation number.</param>
/// <param name="ProcessId">NFTA_GEN_PROC_PID: the process that asked (the kernel echoes the requester), or 0 if absent.</param>
/// <param name="ProcessName">NFTA_GEN_PROC_NAME: its command name, or null if absent.</param>
public sealed record RulesetGeneration(uint Id, uint ProcessId, string? ProcessName);
