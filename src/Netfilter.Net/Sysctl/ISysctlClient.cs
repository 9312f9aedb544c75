using System.Collections.Generic;

namespace Netfilter.Net.Sysctl;

/// <summary>
/// The sysctls of one network namespace, as a service reads and writes them. <see cref="SysctlClient"/>
/// implements it over /proc/sys; <c>Netfilter.Net.Testing</c> implements it in memory. IP forwarding
/// is available on any implementation through <see cref="ForwardingExtensions"/>.
/// </summary>
/// <remarks>
/// The calls are synchronous: each is a few bytes of file I/O (microseconds), not a wait for the
/// kernel. The methods mean exactly what their <see cref="SysctlClient"/> counterparts document,
/// including the refusal of keys outside <c>net.</c> unless the implementation allows global keys.
/// </remarks>
public interface ISysctlClient
{
    /// <summary>Reads a key's value, without the trailing newline.</summary>
    /// <exception cref="SysctlException">No such key, or it cannot be read.</exception>
    string Read(SysctlKey key);

    /// <summary>Reads a key; false when there is no such key (other failures still throw).</summary>
    /// <exception cref="SysctlException">The key exists but cannot be read.</exception>
    bool TryRead(SysctlKey key, out string value);

    /// <summary>True when the key exists.</summary>
    bool Exists(SysctlKey key);

    /// <summary>Writes a key.</summary>
    /// <exception cref="System.ArgumentException">The value contains a control character, or the key is out of scope.</exception>
    /// <exception cref="SysctlException">No such key, a read-only key or /proc/sys, or no permission; the message names the fix.</exception>
    void Write(SysctlKey key, string value);

    /// <summary>Reads several keys at once (one namespace switch for all); a missing key yields null, other failures throw.</summary>
    /// <exception cref="SysctlException">A key exists but cannot be read.</exception>
    IReadOnlyList<string?> ReadMany(IReadOnlyList<SysctlKey> keys);

    /// <summary>Writes several keys, in order; stops at the first failure.</summary>
    /// <exception cref="System.ArgumentException">A value contains a control character, or a key is out of scope.</exception>
    /// <exception cref="SysctlException">See <see cref="Write"/>.</exception>
    void WriteMany(IReadOnlyList<(SysctlKey Key, string Value)> settings);
}
