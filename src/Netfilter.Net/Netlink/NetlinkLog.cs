using Microsoft.Extensions.Logging;

namespace Netfilter.Net.Netlink;

/// <summary>Source-generated log messages of the netlink layer. Traffic is Trace; nothing is logged unless a logger is given.</summary>
internal static partial class NetlinkLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Trace, Message = "netlink send {Operation}: {Messages} message(s), {Bytes} bytes, seq {FirstSequence}..{LastSequence}")]
    public static partial void Sent(ILogger logger, string operation, int messages, int bytes, uint firstSequence, uint lastSequence);

    [LoggerMessage(EventId = 2, Level = LogLevel.Trace, Message = "netlink receive {Operation}: {Bytes} bytes")]
    public static partial void Received(ILogger logger, string operation, int bytes);

    [LoggerMessage(EventId = 3, Level = LogLevel.Trace, Message = "netlink {Operation}: skipped a stale reply with seq {Sequence}")]
    public static partial void SkippedStale(ILogger logger, string operation, uint sequence);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "netlink {Operation}: dump interrupted (NLM_F_DUMP_INTR), attempt {Attempt} of {Attempts}")]
    public static partial void DumpInterrupted(ILogger logger, string operation, int attempt, int attempts);

    [LoggerMessage(EventId = 5, Level = LogLevel.Trace, Message = "netlink {Operation}: kernel error {Errno} for seq {Sequence}: {KernelMessage}")]
    public static partial void KernelError(ILogger logger, string operation, Errno errno, uint sequence, string? kernelMessage);
}
