using System;
using System.IO;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>
/// Turns whatever stopped a command into nfnet's error contract: one line on stderr, starting
/// with "nfnet: ", naming the cause and the fix, and an exit code (2 for bad usage, 1 for the
/// rest). The stack trace is printed only with --verbose.
/// </summary>
internal static class ErrorReporter
{
    public const string Prefix = "nfnet: ";

    /// <summary>Writes the one-line report of <paramref name="exception"/> and returns the exit code.</summary>
    public static int Report(Exception exception, TextWriter error, bool verbose)
    {
        (int code, string line) = Describe(exception);
        error.WriteLine(Prefix + OneLine(line));
        if (verbose)
        {
            error.WriteLine(exception.ToString());
        }
        return code;
    }

    /// <summary>The exit code and the line for <paramref name="exception"/>.</summary>
    internal static (int Code, string Line) Describe(Exception exception) => exception switch
    {
        UsageException e => (ExitCodes.Usage, e.Message),
        CommandFailedException e => (ExitCodes.Failure, e.Message),
        // The library refuses bad input before sending anything; the command line supplied it.
        ArgumentException e => (ExitCodes.Usage, WithoutParameterSuffix(e.Message)),
        NfTablesGenerationException => (ExitCodes.Failure, "the ruleset changed while nfnet was changing it: run the command again"),
        NetfilterException e => (ExitCodes.Failure, DescribeKernelError(e)),
        OperationCanceledException => (ExitCodes.Failure, "interrupted before the command finished"),
        UnauthorizedAccessException e => (ExitCodes.Failure, $"{WithoutParameterSuffix(e.Message)}: check the permissions, or run as root"),
        IOException e => (ExitCodes.Failure, e.Message),
        InvalidOperationException e => (ExitCodes.Failure, e.Message),
        // Text that is not what it should be (a sysctl that does not hold a number, a rule's text):
        // the message says what and where.
        FormatException e => (ExitCodes.Failure, e.Message),
        // A bug: the type name is for the report. Bad input never gets here (the bad-input suite checks it).
        _ => (ExitCodes.Failure, $"unexpected {exception.GetType().Name}: {exception.Message} (run with --verbose for the stack trace)"),
    };

    /// <summary>The line for a kernel refusal: the cause and the fix for the errors a user meets, the library's own message otherwise.</summary>
    internal static string DescribeKernelError(NetfilterException e)
    {
        bool permission = e.Errno is Errno.EPERM or Errno.EACCES;
        if (permission && e.Operation.StartsWith("setns", StringComparison.Ordinal))
        {
            return "needs CAP_SYS_ADMIN to enter another network namespace (setns): run as root, or run nfnet inside that namespace without --netns (in a container: share the target's network, e.g. docker run --network container:NAME, or a sidecar in the pod)";
        }
        if (e is SysctlException)
        {
            // Its message names the cause and the fix (read-only /proc/sys, read-only key, privilege).
            return e.Message;
        }
        if (permission && !Privileges.IsRoot)
        {
            return "needs CAP_NET_ADMIN: run as root";
        }
        if (e.Errno == Errno.EPERM && e is NfTablesException { OperationIndex: >= 0 } refused)
        {
            // The batch got through (so the capability is there) but one operation was refused:
            // an owned table (NFT_TABLE_F_OWNER) can be changed only through its owner's socket.
            return $"the kernel refused '{refused.OperationDescription}' (EPERM): the table belongs to another process (an owned table), or nfnet lacks CAP_NET_ADMIN; nothing was applied";
        }
        if (e.Errno == Errno.EPERM)
        {
            // Root without CAP_NET_ADMIN (a container, a dropped capability set).
            return $"needs CAP_NET_ADMIN: run as root with CAP_NET_ADMIN (in a container: docker run --cap-add NET_ADMIN, or securityContext.capabilities.add: [NET_ADMIN]) ({e.Operation} was refused)";
        }
        if (e.Errno is Errno.EPROTONOSUPPORT or Errno.EAFNOSUPPORT && e.Operation.StartsWith("socket", StringComparison.Ordinal))
        {
            return $"this kernel has no {ProtocolOf(e.Operation)} netlink interface: load the modules (modprobe nf_tables nf_conntrack) or use a kernel built with nf_tables";
        }
        if (e.Errno == Errno.EOPNOTSUPP && e is NfTablesException)
        {
            return $"the kernel lacks an nftables feature this needs: {e.Message}";
        }
        return e.Message;
    }

    private static string ProtocolOf(string operation)
    {
        int open = operation.IndexOf('(');
        int close = operation.IndexOf(')');
        return open >= 0 && close > open ? operation.Substring(open + 1, close - open - 1) : "netfilter";
    }

    /// <summary>
    /// An ArgumentException's message without what .NET appends: " (Parameter 'x')" (the CLI names
    /// its options itself) and, for out-of-range values, the line "Actual value was V.". Nothing
    /// else is cut: what follows a newline inside the message (a value quoted there) stays.
    /// </summary>
    internal static string WithoutParameterSuffix(string message)
    {
        int suffix = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        if (suffix >= 0)
        {
            int end = message.IndexOf("')", suffix, StringComparison.Ordinal);
            if (end >= 0 && IsActualValueLine(message.AsSpan(end + 2)))
            {
                return message.Substring(0, suffix);
            }
        }
        int actual = message.LastIndexOf("Actual value was ", StringComparison.Ordinal);
        if (actual > 0 && message[actual - 1] == '\n')
        {
            return message.Substring(0, actual - 1).TrimEnd('\r');
        }
        return message;
    }

    private static bool IsActualValueLine(ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart("\r\n");
        return rest.IsEmpty || rest.StartsWith("Actual value was ", StringComparison.Ordinal);
    }

    /// <summary>
    /// The one-line contract: the lines of a multi-line message are joined with spaces, and any
    /// other character that would break or hide in a line is escaped (<see cref="InputText.Escape"/>;
    /// values from the user are escaped already where the message quotes them).
    /// </summary>
    internal static string OneLine(string text) =>
        InputText.Escape(text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ').Trim());
}
