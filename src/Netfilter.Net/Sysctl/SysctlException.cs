using System;

namespace Netfilter.Net.Sysctl;

/// <summary>
/// The kernel refused to read or write a sysctl. <see cref="Kind"/> says why, and the message
/// names the key, the value, the namespace, the cause and the fix:
/// <see cref="SysctlErrorKind.NotFound"/> (ENOENT: a missing interface, an unloaded module, a key
/// only the initial namespace has), <see cref="SysctlErrorKind.ReadOnlyFileSystem"/> (EROFS:
/// /proc/sys is read-only, as in a container; set the key with <c>docker run --sysctl</c>, a pod's
/// <c>securityContext.sysctls</c>, or on the host), <see cref="SysctlErrorKind.ReadOnlyKey"/>,
/// <see cref="SysctlErrorKind.PermissionDenied"/> (EACCES/EPERM: root or CAP_NET_ADMIN is needed)
/// and <see cref="SysctlErrorKind.InvalidValue"/> (EINVAL). <see cref="NetfilterException.Errno"/>
/// keeps the kernel's errno.
/// </summary>
public sealed class SysctlException : NetfilterException
{
    internal SysctlException(Errno errno, SysctlErrorKind kind, string operation, SysctlKey key, string? value, string detail)
        : base(errno, operation, detail: detail)
    {
        Kind = kind;
        Key = key;
        Value = value;
    }

    /// <summary>Why the access failed: what to fix (the message says how).</summary>
    public SysctlErrorKind Kind { get; }

    /// <summary>The key that was read or written.</summary>
    public SysctlKey Key { get; }

    /// <summary>The value that was being written; null for a read.</summary>
    public string? Value { get; }

    /// <summary>Builds the exception for a failed access, with the explanation a user can act on.</summary>
    /// <param name="errno">What open/read/write reported.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value being written, or null for a read.</param>
    /// <param name="where">The namespace, as text.</param>
    /// <param name="mode">The file's permission bits when known (to tell "read-only" from "not privileged").</param>
    internal static SysctlException Create(Errno errno, SysctlKey key, string? value, string where, int? mode)
    {
        bool writing = value is not null;
        string operation = writing ? $"write sysctl {key.Name} = '{value}' in {where}" : $"read sysctl {key.Name} in {where}";
        (SysctlErrorKind kind, string detail) = errno switch
        {
            Errno.ENOENT or Errno.ENOTDIR =>
                (SysctlErrorKind.NotFound, $"there is no sysctl {key.Name} (/proc/sys/{key.Path}) in {where}{SysctlHints.Missing(key)}"),
            Errno.EROFS =>
                (SysctlErrorKind.ReadOnlyFileSystem, SysctlHints.ReadOnlyFileSystem(key, value)),
            Errno.EACCES or Errno.EPERM when writing && mode is int m && (m & 0b010_010_010) == 0 =>
                (SysctlErrorKind.ReadOnlyKey, $"{key.Name} is read-only in {where} (mode {Convert.ToString(m & 0x1ff, 8)}){SysctlHints.ReadOnlyKey(key)}"),
            Errno.EACCES or Errno.EPERM when !writing && mode is int m && (m & 0b100_100_100) == 0 =>
                (SysctlErrorKind.Other, $"{key.Name} cannot be read, only written (mode {Convert.ToString(m & 0x1ff, 8)})"),
            Errno.EACCES or Errno.EPERM =>
                (SysctlErrorKind.PermissionDenied, $"permission denied: {(writing ? "writing" : "reading")} {key.Name} needs root, or CAP_NET_ADMIN over the namespace's user namespace"),
            Errno.EINVAL when writing =>
                (SysctlErrorKind.InvalidValue, $"the kernel rejected the value '{value}' for {key.Name}: it is malformed or out of the key's range"),
            _ => (SysctlErrorKind.Other, $"{(writing ? "writing" : "reading")} /proc/sys/{key.Path} failed"),
        };
        return new SysctlException(errno, kind, operation, key, value, detail);
    }
}
