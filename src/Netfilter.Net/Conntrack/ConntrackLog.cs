using Microsoft.Extensions.Logging;

namespace Netfilter.Net.Conntrack;

/// <summary>Source-generated log messages of the conntrack client.</summary>
internal static partial class ConntrackLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "conntrack {Operation}: the kernel refused the kernel-side filter ({Errno}); filtering client-side instead")]
    public static partial void KernelFilterRefused(ILogger logger, string operation, Errno errno);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "conntrack flush: the kernel cannot apply this filter itself; deleting the matching entries one by one")]
    public static partial void FlushFallsBackToDelete(ILogger logger);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "conntrack events: the receive buffer overflowed (ENOBUFS); events were lost")]
    public static partial void EventsLost(ILogger logger);
}
