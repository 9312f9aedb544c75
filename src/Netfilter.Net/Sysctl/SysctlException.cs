using System;

namespace Netfilter.Net.Sysctl;

/// <summary>
/// The kernel refused to read or write a sysctl. <see cref="NetlinkException.Errno"/> says why:
/// <see cref="Errno.ENOENT"/> no such key in the namespace (a missing interface, an unloaded
/// module), <see cref="Errno.EACCES"/>/<see cref="Errno.EPERM"/> not allowed (the message says
/// whether the key is read-only or the caller lacks root/CAP_NET_ADMIN),
/// <see cref="Errno.EINVAL"/> the value was rejected. The message names the key, the value and
/// the namespace.
/// </summary>
public sealed class SysctlException : NetlinkException
{
    internal SysctlException(Errno errno, string operation, SysctlKey key, string? value, string detail)
        : base(errno, operation, detail: detail)
    {
        Key = key;
        Value = value;
    }

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
        string detail = errno switch
        {
            Errno.ENOENT or Errno.ENOTDIR => $"there is no sysctl {key.Name} (/proc/sys/{key.Path}) in {where}{MissingHint(key)}",
            Errno.EACCES or Errno.EPERM when writing && mode is int m && (m & 0b010_010_010) == 0 =>
                $"{key.Name} is read-only in {where} (mode {Convert.ToString(m & 0x1ff, 8)}){ReadOnlyHint(key)}",
            Errno.EACCES or Errno.EPERM when !writing && mode is int m && (m & 0b100_100_100) == 0 =>
                $"{key.Name} cannot be read, only written (mode {Convert.ToString(m & 0x1ff, 8)})",
            Errno.EACCES or Errno.EPERM =>
                $"permission denied: {(writing ? "writing" : "reading")} {key.Name} needs root, or CAP_NET_ADMIN over the namespace's user namespace",
            Errno.EINVAL when writing =>
                $"the kernel rejected the value '{value}' for {key.Name}: it is malformed or out of the key's range",
            _ => $"{(writing ? "writing" : "reading")} /proc/sys/{key.Path} failed",
        };
        return new SysctlException(errno, operation, key, value, detail);
    }

    private static string MissingHint(SysctlKey key)
    {
        string? device = key.InterfaceComponent;
        if (device is not null && device is not SysctlKey.AllInterfaces and not SysctlKey.DefaultInterface)
        {
            return $": is there an interface named '{device}' in this namespace?";
        }
        if (key.Path.StartsWith("net/netfilter/nf_conntrack", StringComparison.Ordinal))
        {
            return ": conntrack keys exist once the nf_conntrack module is loaded (the first NAT or ct rule loads it)";
        }
        if (key.Path.StartsWith("net/ipv6/", StringComparison.Ordinal))
        {
            return ": is IPv6 disabled on this kernel (ipv6.disable=1)?";
        }
        return string.Empty;
    }

    private static string ReadOnlyHint(SysctlKey key) =>
        key.Equals(SysctlKey.ConntrackMax) ? ": the conntrack table size can only be changed in the initial network namespace" : string.Empty;
}
