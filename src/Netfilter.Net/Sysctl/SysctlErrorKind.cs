namespace Netfilter.Net.Sysctl;

/// <summary>
/// Why a sysctl could not be read or written (<see cref="SysctlException.Kind"/>): the cause, so a
/// caller can react without parsing messages. Each kind has its own fix, which the exception's
/// message spells out.
/// </summary>
public enum SysctlErrorKind
{
    /// <summary>Any other failure; <see cref="NetfilterException.Errno"/> says which.</summary>
    Other = 0,

    /// <summary>
    /// ENOENT: the namespace has no such key. A per-interface key of a missing interface, a
    /// module that is not loaded (<c>net.netfilter.nf_conntrack_*</c> needs nf_conntrack), IPv6
    /// disabled, or a key the kernel registers for the initial network namespace only
    /// (<c>net.core.netdev_max_backlog</c>, <c>net.ipv4.tcp_mem</c>, ...).
    /// </summary>
    NotFound,

    /// <summary>
    /// EROFS: /proc/sys is mounted read-only, as Docker, containerd and Kubernetes mount it in
    /// every container that is not privileged, even with CAP_NET_ADMIN. The key must be set when
    /// the container starts (<c>docker run --sysctl KEY=VALUE</c>, a pod's
    /// <c>securityContext.sysctls</c>), or on the host.
    /// </summary>
    ReadOnlyFileSystem,

    /// <summary>
    /// EACCES on a key whose mode has no write bit: the kernel exposes it read-only here, e.g.
    /// <c>net.netfilter.nf_conntrack_max</c> outside the initial network namespace.
    /// </summary>
    ReadOnlyKey,

    /// <summary>EACCES or EPERM on a writable key: the caller is not root, or lacks CAP_NET_ADMIN over the namespace.</summary>
    PermissionDenied,

    /// <summary>EINVAL on a write: the kernel rejected the value (malformed, or out of the key's range).</summary>
    InvalidValue,
}
