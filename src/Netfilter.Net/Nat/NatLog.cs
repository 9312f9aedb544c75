using Microsoft.Extensions.Logging;

namespace Netfilter.Net.Nat;

/// <summary>Source-generated log messages of the NAT layer.</summary>
internal static partial class NatLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "nat table {Table}: added {Rule}")]
    public static partial void Added(ILogger logger, string table, string rule);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "nat table {Table}: removed {Rule}")]
    public static partial void Removed(ILogger logger, string table, string rule);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "nat table {Table}: deleted")]
    public static partial void TableDeleted(ILogger logger, string table);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "nat table {Table}: {Warning}")]
    public static partial void Warning(ILogger logger, string table, string warning);

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "nat table {Table}: the ruleset changed during apply (attempt {Attempt}); re-reading")]
    public static partial void Retry(ILogger logger, string table, int attempt);
}
