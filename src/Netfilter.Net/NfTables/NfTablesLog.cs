using Microsoft.Extensions.Logging;

namespace Netfilter.Net.NfTables;

/// <summary>Source-generated log messages of the nftables layer: what changes the kernel is Information.</summary>
internal static partial class NfTablesLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "nftables transaction committed: {Operations} operation(s) in {Messages} message(s), first: {First}")]
    public static partial void Committed(ILogger logger, int operations, int messages, string first);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "nftables dump of set {Table} {Set} repeated {Repeats} element(s) (a disturbed walk, e.g. a resizing hash set): dumping again, attempt {Attempt} of {Attempts}")]
    public static partial void ElementWalkDisturbed(ILogger logger, string table, string set, int repeats, int attempt, int attempts);
}
