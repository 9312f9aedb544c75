using System;
using System.Collections.Generic;
using System.Globalization;

namespace Netfilter.Net.Sysctl;

/// <summary>
/// Reads and writes sysctls (the files under /proc/sys) of one network namespace. The
/// <c>net.*</c> keys belong to a namespace: this client opens them from a thread inside
/// <see cref="Namespace"/>, never moving the caller. Every other key is shared by the whole
/// host, and is refused unless <see cref="AllowGlobalKeys"/> is set.
/// </summary>
/// <remarks>
/// <para><b>Confinement.</b> Only the keys under <c>net.</c> belong to a network namespace (see
/// <see cref="SysctlKey.IsPerNetworkNamespace"/>). A key such as <c>kernel.core_pattern</c> or
/// <c>vm.overcommit_memory</c> is the same file for every namespace: writing it through a client
/// for a test namespace would change the host. So the client refuses such keys, for reads and
/// writes alike and whatever its namespace, with an <see cref="ArgumentException"/> naming the
/// key, before anything is opened. Set <see cref="AllowGlobalKeys"/> to work on host-wide keys
/// deliberately.</para>
/// <para><b>In containers.</b> /proc/sys is mounted read-only in every container that is not
/// privileged, CAP_NET_ADMIN or not: writes fail with <see cref="SysctlErrorKind.ReadOnlyFileSystem"/>,
/// whose message names the fix (<c>docker run --sysctl</c>, a pod's <c>securityContext.sysctls</c>).
/// Reads work.</para>
/// <para>The calls are synchronous: each is an open, a read or write of a few bytes and a close
/// (microseconds). Outside <see cref="NetworkNamespace.Current"/> every call also starts and
/// joins one short-lived thread (see <see cref="NetworkNamespace.Run{T}(Func{T})"/>), which
/// costs a fraction of a millisecond; helpers that read several keys (<see cref="Forwarding"/>,
/// <see cref="ConntrackUsage"/>) read them all on one thread. Nothing here ever writes a
/// sysctl that the caller did not name.</para>
/// </remarks>
/// <example>
/// <code>
/// var sysctl = new SysctlClient(NetworkNamespace.FromName("router"));
/// string before = sysctl.Read(SysctlKey.IPv4Forward);      // "0"
/// sysctl.Write("net.ipv4.conf.eth0.rp_filter", "2");
///
/// var host = new SysctlClient { AllowGlobalKeys = true };   // host-wide keys, deliberately
/// host.Write("kernel.core_pattern", "core");
/// </code>
/// </example>
public sealed class SysctlClient : ISysctlClient
{
    /// <summary>Where the kernel mounts sysctls.</summary>
    internal const string DefaultRoot = "/proc/sys";

    private readonly string _root;

    /// <summary>A client for <paramref name="networkNamespace"/> (the caller's when null).</summary>
    public SysctlClient(NetworkNamespace? networkNamespace = null)
        : this(DefaultRoot, networkNamespace)
    {
    }

    /// <summary>A client over another root directory: unit tests point it at a temporary directory.</summary>
    internal SysctlClient(string root, NetworkNamespace? networkNamespace = null)
    {
        _root = root.TrimEnd('/');
        Namespace = networkNamespace ?? NetworkNamespace.Current;
    }

    /// <summary>The namespace whose sysctls this client reads and writes.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>
    /// Whether keys that do not belong to a network namespace (anything outside <c>net.</c>,
    /// such as <c>kernel.core_pattern</c>) may be read and written. False by default: such a key
    /// is shared by the whole host, whichever <see cref="Namespace"/> this client is for, so the
    /// client refuses it with an <see cref="ArgumentException"/>. Set it only where changing the
    /// host is the intent.
    /// </summary>
    public bool AllowGlobalKeys { get; init; }

    /// <summary>
    /// True when /proc/sys is mounted read-only where this process runs, as in every container
    /// that is not privileged (CAP_NET_ADMIN or not): reads work, every write fails with
    /// <see cref="SysctlErrorKind.ReadOnlyFileSystem"/>. Such keys are set when the container
    /// starts (<c>docker run --sysctl</c>, a pod's <c>securityContext.sysctls</c>) or on the host.
    /// </summary>
    public bool IsReadOnlyMount => SysctlFile.IsOnReadOnlyMount(_root);

    /// <summary>Reads a key's value, without the trailing newline (multi-value keys keep their tabs).</summary>
    /// <exception cref="SysctlException">No such key in the namespace, or it cannot be read.</exception>
    /// <exception cref="ArgumentException">The key is not under net. and <see cref="AllowGlobalKeys"/> is not set.</exception>
    public string Read(SysctlKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadMany(new[] { key })[0] ?? throw MissingKey(key);
    }

    /// <summary>Reads a key given by name, dotted or slashed (see <see cref="SysctlKey.Parse"/>).</summary>
    /// <exception cref="ArgumentException">The name is not a sysctl key, or not under net. while <see cref="AllowGlobalKeys"/> is not set.</exception>
    /// <exception cref="SysctlException">No such key in the namespace, or it cannot be read.</exception>
    public string Read(string key) => Read(SysctlKey.Parse(key));

    /// <summary>Reads a key; false when the namespace has no such key (other failures still throw).</summary>
    /// <exception cref="SysctlException">The key exists but cannot be read.</exception>
    /// <exception cref="ArgumentException">The key is not under net. and <see cref="AllowGlobalKeys"/> is not set.</exception>
    public bool TryRead(SysctlKey key, out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        string? read = ReadMany(new[] { key })[0];
        value = read ?? string.Empty;
        return read is not null;
    }

    /// <summary>Reads a key whose value is one integer.</summary>
    /// <exception cref="SysctlException">No such key, or it cannot be read.</exception>
    /// <exception cref="FormatException">The value is not a single integer.</exception>
    /// <exception cref="ArgumentException">The key is not under net. and <see cref="AllowGlobalKeys"/> is not set.</exception>
    public long ReadInt64(SysctlKey key) => ParseInt64(key, Read(key));

    /// <summary>True when the namespace has the key (for example a per-interface key of an existing interface).</summary>
    /// <exception cref="ArgumentException">The key is not under net. and <see cref="AllowGlobalKeys"/> is not set.</exception>
    public bool Exists(SysctlKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureInScope(key);
        string path = PathOf(key);
        return Namespace.Run(() => System.IO.File.Exists(path));
    }

    /// <summary>Writes a value, as <c>sysctl -w KEY=VALUE</c> does.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value; several numbers are separated by spaces or tabs. No newline.</param>
    /// <exception cref="ArgumentException">The value contains a newline or other control character (other than tab), or the key is not under net. while <see cref="AllowGlobalKeys"/> is not set.</exception>
    /// <exception cref="SysctlException">
    /// <see cref="SysctlException.Kind"/> says why: no such key (<see cref="SysctlErrorKind.NotFound"/>),
    /// /proc/sys mounted read-only as in a container (<see cref="SysctlErrorKind.ReadOnlyFileSystem"/>),
    /// a read-only key (<see cref="SysctlErrorKind.ReadOnlyKey"/>), no root/CAP_NET_ADMIN
    /// (<see cref="SysctlErrorKind.PermissionDenied"/>), or the kernel rejected the value
    /// (<see cref="SysctlErrorKind.InvalidValue"/>).
    /// </exception>
    public void Write(SysctlKey key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        WriteMany(new[] { (key, value) });
    }

    /// <summary>Writes an integer value.</summary>
    /// <exception cref="SysctlException">See <see cref="Write(SysctlKey, string)"/>.</exception>
    /// <exception cref="ArgumentException">The key is not under net. and <see cref="AllowGlobalKeys"/> is not set.</exception>
    public void Write(SysctlKey key, long value) => Write(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes a key given by name, dotted or slashed.</summary>
    /// <exception cref="ArgumentException">The name is not a sysctl key, the value contains a control character, or the key is not under net. while <see cref="AllowGlobalKeys"/> is not set.</exception>
    /// <exception cref="SysctlException">See <see cref="Write(SysctlKey, string)"/>.</exception>
    public void Write(string key, string value) => Write(SysctlKey.Parse(key), value);

    /// <summary>Reads several keys on one namespace thread; a missing key yields null, other failures throw.</summary>
    /// <exception cref="ArgumentException">A key is not under net. while <see cref="AllowGlobalKeys"/> is not set.</exception>
    /// <exception cref="SysctlException">A key exists but cannot be read.</exception>
    public IReadOnlyList<string?> ReadMany(IReadOnlyList<SysctlKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (SysctlKey key in keys)
        {
            EnsureInScope(key);
        }
        string where = Namespace.Description;
        return Namespace.Run(() =>
        {
            var values = new string?[keys.Count];
            for (int i = 0; i < keys.Count; i++)
            {
                string path = PathOf(keys[i]);
                Errno errno = SysctlFile.TryRead(path, out string text);
                if (errno is Errno.ENOENT or Errno.ENOTDIR)
                {
                    continue;
                }
                if (errno != Errno.None)
                {
                    throw SysctlException.Create(errno, keys[i], null, where, SysctlFile.Mode(path));
                }
                values[i] = text.EndsWith('\n') ? text[..^1] : text;
            }
            return values;
        });
    }

    /// <summary>Writes several keys, in order, on one namespace thread; stops at the first failure.</summary>
    /// <exception cref="ArgumentException">A value contains a control character, or a key is not under net. while <see cref="AllowGlobalKeys"/> is not set.</exception>
    /// <exception cref="SysctlException">See <see cref="Write(SysctlKey, string)"/>.</exception>
    public void WriteMany(IReadOnlyList<(SysctlKey Key, string Value)> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach ((SysctlKey key, string value) in settings)
        {
            ArgumentNullException.ThrowIfNull(key);
            EnsureInScope(key);
            ValidateValue(value);
        }
        string where = Namespace.Description;
        Namespace.Run(() =>
        {
            foreach ((SysctlKey key, string value) in settings)
            {
                string path = PathOf(key);
                // The old value, to put back if the kernel takes only part of the new one.
                string? old = SysctlFile.TryRead(path, out string text) == Errno.None ? text.TrimEnd('\n') : null;
                Errno errno = SysctlFile.Write(path, value, out bool cut);
                if (cut)
                {
                    if (old is not null)
                    {
                        SysctlFile.Write(path, old, out _);
                    }
                    // The key holds fewer values than were given: the kernel's own word for a
                    // value it cannot take whole.
                    errno = Errno.EINVAL;
                }
                if (errno != Errno.None)
                {
                    throw SysctlException.Create(errno, key, value, where, SysctlFile.Mode(path));
                }
            }
        });
    }

    internal static long ParseInt64(SysctlKey key, string text)
    {
        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            throw new FormatException($"{key.Name} = '{text}' is not a single integer.");
        }
        return number;
    }

    internal static void ValidateValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (char c in value)
        {
            if (c != '\t' && char.IsControl(c))
            {
                throw new ArgumentException($"a sysctl value is one line of text: {InputText.Quote(value)} contains a newline or control character.", nameof(value));
            }
        }
    }

    /// <summary>Refuses a host-wide key unless <see cref="AllowGlobalKeys"/> is set (see the remarks on the class).</summary>
    private void EnsureInScope(SysctlKey key)
    {
        if (!AllowGlobalKeys && !key.IsPerNetworkNamespace)
        {
            throw OutOfScope(key, Namespace.Description);
        }
    }

    /// <summary>The refusal of a host-wide key by a client for <paramref name="where"/> (also Netfilter.Net.Testing's in-memory sysctls).</summary>
    internal static ArgumentException OutOfScope(SysctlKey key, string where) =>
        new(
            $"{key.Name} is not a network-namespace sysctl: only keys under net. belong to a network namespace, and {key.Name} is shared by the whole host, "
            + $"so reading or writing it through a client for {where} would reach the host. "
            + "Set SysctlClient.AllowGlobalKeys to work on host-wide keys deliberately.",
            nameof(key));

    private SysctlException MissingKey(SysctlKey key) => SysctlException.Create(Errno.ENOENT, key, null, Namespace.Description, null);

    private string PathOf(SysctlKey key) => _root + "/" + key.Path;
}
