using System;
using System.Text;

namespace Netfilter.Net;

/// <summary>
/// The kernel (or a system call on a netlink socket) refused an operation. Carries what the
/// kernel said: the errno, the operation that failed, the netlink sequence number, and the
/// extended-ack text and attribute offset when the kernel supplied them.
/// </summary>
/// <remarks>
/// The message always names the operation and, for the errors a user can act on, the fix:
/// <see cref="Errno.EPERM"/> says that CAP_NET_ADMIN is needed, <see cref="Errno.EOPNOTSUPP"/>
/// that the kernel lacks a feature.
/// </remarks>
public class NetlinkException : Exception
{
    internal NetlinkException(Errno errno, string operation, uint sequence = 0, string? kernelMessage = null, uint? attributeOffset = null, string? detail = null, Exception? inner = null)
        : base(Compose(errno, operation, kernelMessage, attributeOffset, detail), inner)
    {
        Errno = errno;
        Operation = operation;
        Sequence = sequence;
        KernelMessage = kernelMessage;
        AttributeOffset = attributeOffset;
    }

    /// <summary>The error number, as an enum. Unlisted numbers are kept: cast to int to read them.</summary>
    public Errno Errno { get; }

    /// <summary>The raw error number (positive, as in errno.h).</summary>
    public int RawErrno => (int)Errno;

    /// <summary>What was being done, e.g. "socket(NETLINK_NETFILTER)", "dump NFT_MSG_GETTABLE", "batch NFT_MSG_NEWRULE".</summary>
    public string Operation { get; }

    /// <summary>The netlink sequence number of the failing request, or 0 when none applies.</summary>
    public uint Sequence { get; }

    /// <summary>The kernel's extended-ack text (NLMSGERR_ATTR_MSG), when it gave one.</summary>
    public string? KernelMessage { get; }

    /// <summary>
    /// The byte offset, from the start of the failing request's netlink header, of the attribute
    /// the kernel rejected (NLMSGERR_ATTR_OFFS), when it gave one.
    /// </summary>
    public uint? AttributeOffset { get; }

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
