namespace Netfilter.Net;

/// <summary>
/// Linux error numbers (asm-generic/errno-base.h and errno.h) that netlink and netfilter report.
/// Values not listed here still round-trip: cast the raw number.
/// </summary>
public enum Errno
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>EPERM: operation not permitted. For netfilter this means CAP_NET_ADMIN is missing in the namespace.</summary>
    EPERM = 1,
    /// <summary>ENOENT: no such table, chain, set, rule or entry.</summary>
    ENOENT = 2,
    /// <summary>ESRCH: no such process.</summary>
    ESRCH = 3,
    /// <summary>EINTR: interrupted; also how libmnl reports an interrupted dump.</summary>
    EINTR = 4,
    /// <summary>EIO: I/O error.</summary>
    EIO = 5,
    /// <summary>E2BIG: argument list too long.</summary>
    E2BIG = 7,
    /// <summary>EBADF: bad file descriptor.</summary>
    EBADF = 9,
    /// <summary>EAGAIN: try again (no data on a non-blocking socket, or a module is loading).</summary>
    EAGAIN = 11,
    /// <summary>ENOMEM: out of memory.</summary>
    ENOMEM = 12,
    /// <summary>EACCES: permission denied.</summary>
    EACCES = 13,
    /// <summary>EFAULT: bad address.</summary>
    EFAULT = 14,
    /// <summary>EBUSY: the object is in use (for example a chain still referenced by a jump).</summary>
    EBUSY = 16,
    /// <summary>EEXIST: the object already exists.</summary>
    EEXIST = 17,
    /// <summary>ENODEV: no such device (interface).</summary>
    ENODEV = 19,
    /// <summary>ENOTDIR: not a directory.</summary>
    ENOTDIR = 20,
    /// <summary>EINVAL: invalid argument; the kernel's extended-ack text usually says which.</summary>
    EINVAL = 22,
    /// <summary>EMFILE: too many open files.</summary>
    EMFILE = 24,
    /// <summary>ENOSPC: no space left (a full set, or a truncated netlink datagram in libmnl).</summary>
    ENOSPC = 28,
    /// <summary>EROFS: read-only file system (a sysctl write where /proc/sys is mounted read-only, as in an unprivileged container).</summary>
    EROFS = 30,
    /// <summary>ERANGE: result out of range.</summary>
    ERANGE = 34,
    /// <summary>ELOOP: a chain jump loop.</summary>
    ELOOP = 40,
    /// <summary>ENOTEMPTY: the object is not empty.</summary>
    ENOTEMPTY = 39,
    /// <summary>ENODATA: no data available.</summary>
    ENODATA = 61,
    /// <summary>EPROTO: protocol error.</summary>
    EPROTO = 71,
    /// <summary>EBADMSG: bad message.</summary>
    EBADMSG = 74,
    /// <summary>EOVERFLOW: value too large.</summary>
    EOVERFLOW = 75,
    /// <summary>ERESTART: nftables refused a batch whose generation check failed (the ruleset changed underneath).</summary>
    ERESTART = 85,
    /// <summary>EMSGSIZE: message too long for the socket buffer.</summary>
    EMSGSIZE = 90,
    /// <summary>EPROTOTYPE: wrong protocol type.</summary>
    EPROTOTYPE = 91,
    /// <summary>ENOPROTOOPT: protocol option not available.</summary>
    ENOPROTOOPT = 92,
    /// <summary>EPROTONOSUPPORT: protocol not supported (for example the netlink family is not built).</summary>
    EPROTONOSUPPORT = 93,
    /// <summary>EOPNOTSUPP: operation not supported by this kernel (a missing module or feature).</summary>
    EOPNOTSUPP = 95,
    /// <summary>EAFNOSUPPORT: address family not supported.</summary>
    EAFNOSUPPORT = 97,
    /// <summary>EADDRINUSE: address already in use.</summary>
    EADDRINUSE = 98,
    /// <summary>ENETUNREACH: network unreachable; a route lookup found no route.</summary>
    ENETUNREACH = 101,
    /// <summary>ENOBUFS: no buffer space; on a netlink socket, messages were dropped.</summary>
    ENOBUFS = 105,
    /// <summary>ETIMEDOUT: timed out waiting for the kernel.</summary>
    ETIMEDOUT = 110,
    /// <summary>ECONNREFUSED: connection refused.</summary>
    ECONNREFUSED = 111,
    /// <summary>EHOSTUNREACH: no route to host; a route lookup hit an unreachable route.</summary>
    EHOSTUNREACH = 113,
    /// <summary>ECANCELED: operation canceled.</summary>
    ECANCELED = 125,
}
