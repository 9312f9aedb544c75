using System;
using System.Text;

namespace Netfilter.Net;

/// <summary>
/// The system refused an operation: a system call, a netlink request, a sysctl read or write, or
/// the kernel answered in a form the library cannot read. The base of every error the library
/// reports for what the kernel did (never for what the caller passed: that is an
/// <see cref="ArgumentException"/>, thrown before anything is sent). Catch this type to handle
/// "the system said no" in one place; catch a derived type for what only that layer knows:
/// <see cref="NetlinkException"/> (the netlink sequence and the kernel's extended-ack text),
/// <see cref="NfTables.NfTablesException"/> (which operation of a transaction),
/// <see cref="Sysctl.SysctlException"/> (the key and why), <see cref="NetlinkProtocolException"/>
/// (malformed data).
/// </summary>
/// <remarks>
/// It lives below every layer (it depends on nothing but the errno enumeration), so the system-call
/// floor, namespaces, sockets and sysctls report errors without depending on the netlink
/// transport. The message names the operation, the errno and, for the errors a user can act on,
/// the fix (<see cref="Errno.EPERM"/>: CAP_NET_ADMIN is needed).
/// </remarks>
public class NetfilterException : Exception
{
    /// <summary>A failed system call: the message is composed from the errno, the operation and an optional detail.</summary>
    internal NetfilterException(Errno errno, string operation, string? detail = null, Exception? inner = null)
        : this(Compose(errno, operation, null, null, detail), errno, operation, inner)
    {
    }

    /// <summary>For derived types that compose their own message.</summary>
    private protected NetfilterException(string message, Errno errno, string operation, Exception? inner)
        : base(message, inner)
    {
        Errno = errno;
        Operation = operation;
    }

    /// <summary>The error number, as an enum. Unlisted numbers are kept: cast to int to read them.</summary>
    public Errno Errno { get; }

    /// <summary>The raw error number (positive, as in errno.h).</summary>
    public int RawErrno => (int)Errno;

    /// <summary>What was being done, e.g. "socket(NETLINK_NETFILTER)", "dump NFT_MSG_GETTABLE", "setns", "write sysctl net.ipv4.ip_forward = '1' in namespace X".</summary>
    public string Operation { get; }

    internal static string Compose(Errno errno, string operation, string? kernelMessage, uint? attributeOffset, string? detail)
    {
        var sb = new StringBuilder();
        sb.Append(operation).Append(" failed: ").Append(Describe(errno));
        if (!string.IsNullOrEmpty(kernelMessage))
        {
            sb.Append(": kernel says \"").Append(kernelMessage).Append('"');
        }
        if (attributeOffset is uint off)
        {
            sb.Append(" (at byte ").Append(off).Append(" of the request)");
        }
        if (!string.IsNullOrEmpty(detail))
        {
            sb.Append("; ").Append(detail);
        }
        string? hint = Hint(errno);
        if (hint is not null)
        {
            sb.Append(". ").Append(hint);
        }
        return sb.ToString();
    }

    /// <summary>"EPERM (operation not permitted)" for a known errno, "errno 123" otherwise.</summary>
    internal static string Describe(Errno errno)
    {
        string? text = errno switch
        {
            Errno.EPERM => "operation not permitted",
            Errno.ENOENT => "no such file or object",
            Errno.ESRCH => "no such process",
            Errno.EINTR => "interrupted",
            Errno.EIO => "input/output error",
            Errno.E2BIG => "argument list too long",
            Errno.EBADF => "bad file descriptor",
            Errno.EAGAIN => "resource temporarily unavailable",
            Errno.ENOMEM => "out of memory",
            Errno.EACCES => "permission denied",
            Errno.EFAULT => "bad address",
            Errno.EBUSY => "device or resource busy",
            Errno.EEXIST => "object exists",
            Errno.ENODEV => "no such device",
            Errno.ENOTDIR => "not a directory",
            Errno.EINVAL => "invalid argument",
            Errno.EMFILE => "too many open files",
            Errno.ENOSPC => "no space left",
            Errno.EROFS => "read-only file system",
            Errno.ERANGE => "result out of range",
            Errno.ENOTEMPTY => "not empty",
            Errno.ELOOP => "loop detected",
            Errno.ENODATA => "no data available",
            Errno.EPROTO => "protocol error",
            Errno.EBADMSG => "bad message",
            Errno.EOVERFLOW => "value too large",
            Errno.ERESTART => "restart: the ruleset generation changed",
            Errno.EMSGSIZE => "message too long",
            Errno.EPROTOTYPE => "protocol wrong type for socket",
            Errno.ENOPROTOOPT => "protocol not available",
            Errno.EPROTONOSUPPORT => "protocol not supported",
            Errno.EOPNOTSUPP => "operation not supported",
            Errno.EAFNOSUPPORT => "address family not supported",
            Errno.EADDRINUSE => "address already in use",
            Errno.ENETUNREACH => "network unreachable",
            Errno.ENOBUFS => "no buffer space available",
            Errno.ETIMEDOUT => "timed out",
            Errno.ECONNREFUSED => "connection refused",
            Errno.EHOSTUNREACH => "no route to host",
            Errno.ECANCELED => "canceled",
            _ => null,
        };
        return text is null ? $"errno {(int)errno}" : $"{errno} ({text})";
    }

    private static string? Hint(Errno errno) => errno switch
    {
        Errno.EPERM => "needs CAP_NET_ADMIN in the network namespace: run as root or grant the capability",
        Errno.EOPNOTSUPP => "the running kernel lacks this feature (a module such as nf_tables, nf_nat or nf_conntrack may be missing)",
        Errno.EPROTONOSUPPORT => "the running kernel lacks this netlink family (is the module loaded?)",
        Errno.ENOBUFS => "the socket's receive buffer overflowed and messages were lost",
        _ => null,
    };
}
