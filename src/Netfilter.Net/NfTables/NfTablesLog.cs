using Microsoft.Extensions.Logging;

namespace Netfilter.Net.NfTables;

/// <summary>Source-generated log messages of the nftables layer: what changes the kernel is Information.</summary>
internal static partial class NfTablesLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "nftables transaction committed: {Operations} operation(s) in {Messages} message(s), first: {First}")]
    public static partial void Committed(ILogger logger, int operations, int messages, string first);
}
