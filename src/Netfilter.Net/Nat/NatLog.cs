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

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "nat table {Table}: the ruleset changed between reading it and committing {Operation} (attempt {Attempt} of {Attempts}); reading it again")]
    public static partial void Retry(ILogger logger, string table, string operation, int attempt, int attempts);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "nat table {Table}: repaired {Rule} (it was partial or stale)")]
    public static partial void Repaired(ILogger logger, string table, string rule);

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "nat table {Table}: removed a piece no typed rule accounts for: {Piece}")]
    public static partial void ForeignRemoved(ILogger logger, string table, string piece);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "nat table {Table}: {What}")]
    public static partial void Layout(ILogger logger, string table, string what);
}
