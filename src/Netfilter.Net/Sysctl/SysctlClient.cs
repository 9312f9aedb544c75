using System;
using System.Collections.Generic;
using System.Globalization;

namespace Netfilter.Net.Sysctl;

/// <summary>
/// Reads and writes sysctls (the files under /proc/sys) of one network namespace. The
/// <c>net.*</c> keys belong to a namespace: this client opens them from a thread inside
/// <see cref="Namespace"/>, never moving the caller.
/// </summary>
/// <remarks>
/// The calls are synchronous: each is an open, a read or write of a few bytes and a close
/// (microseconds). Outside <see cref="NetworkNamespace.Current"/> every call also starts and
/// joins one short-lived thread (see <see cref="NetworkNamespace.Run{T}(Func{T})"/>), which
/// costs a fraction of a millisecond; helpers that read several keys (<see cref="Forwarding"/>,
/// <see cref="ConntrackUsage"/>) read them all on one thread. Nothing here ever writes a
/// sysctl that the caller did not name.
/// </remarks>
/// <example>
/// <code>
/// var sysctl = new SysctlClient(NetworkNamespace.FromName("router"));
/// string before = sysctl.Read(SysctlKey.IPv4Forward);      // "0"
/// sysctl.Write("net.ipv4.conf.eth0.rp_filter", "2");
/// </code>
/// </example>
public sealed class SysctlClient
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

    /// <summary>Reads a key's value, without the trailing newline (multi-value keys keep their tabs).</summary>
    /// <exception cref="SysctlException">No such key in the namespace, or it cannot be read.</exception>
    public string Read(SysctlKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadMany(new[] { key })[0] ?? throw MissingKey(key);
    }

    /// <summary>Reads a key given by name, dotted or slashed (see <see cref="SysctlKey.Parse"/>).</summary>
    /// <exception cref="ArgumentException">The name is not a sysctl key.</exception>
    /// <exception cref="SysctlException">No such key in the namespace, or it cannot be read.</exception>
    public string Read(string key) => Read(SysctlKey.Parse(key));

    /// <summary>Reads a key; false when the namespace has no such key (other failures still throw).</summary>
    /// <exception cref="SysctlException">The key exists but cannot be read.</exception>
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
    public long ReadInt64(SysctlKey key) => ParseInt64(key, Read(key));

    /// <summary>True when the namespace has the key (for example a per-interface key of an existing interface).</summary>
    public bool Exists(SysctlKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string path = PathOf(key);
        return Namespace.Run(() => System.IO.File.Exists(path));
    }

    /// <summary>Writes a value, as <c>sysctl -w KEY=VALUE</c> does.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value; several numbers are separated by spaces or tabs. No newline.</param>
    /// <exception cref="ArgumentException">The value contains a newline or other control character (other than tab).</exception>
    /// <exception cref="SysctlException">
    /// No such key (<see cref="Errno.ENOENT"/>), not allowed (<see cref="Errno.EACCES"/>/<see cref="Errno.EPERM"/>:
    /// read-only key, or no root/CAP_NET_ADMIN), or the kernel rejected the value (<see cref="Errno.EINVAL"/>).
    /// </exception>
    public void Write(SysctlKey key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        WriteMany(new[] { (key, value) });
    }

    /// <summary>Writes an integer value.</summary>
    /// <exception cref="SysctlException">See <see cref="Write(SysctlKey, string)"/>.</exception>
    public void Write(SysctlKey key, long value) => Write(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes a key given by name, dotted or slashed.</summary>
    /// <exception cref="ArgumentException">The name is not a sysctl key, or the value contains a control character.</exception>
    /// <exception cref="SysctlException">See <see cref="Write(SysctlKey, string)"/>.</exception>
    public void Write(string key, string value) => Write(SysctlKey.Parse(key), value);

    /// <summary>Reads several keys on one namespace thread; a missing key yields null, other failures throw.</summary>
    internal string?[] ReadMany(IReadOnlyList<SysctlKey> keys)
    {
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
    internal void WriteMany(IReadOnlyList<(SysctlKey Key, string Value)> settings)
    {
        foreach ((SysctlKey key, string value) in settings)
        {
            ArgumentNullException.ThrowIfNull(key);
            ValidateValue(value);
        }
        string where = Namespace.Description;
        Namespace.Run(() =>
        {
            foreach ((SysctlKey key, string value) in settings)
            {
                string path = PathOf(key);
                Errno errno = SysctlFile.Write(path, value);
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

    private static void ValidateValue(string value)
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

    private SysctlException MissingKey(SysctlKey key) => SysctlException.Create(Errno.ENOENT, key, null, Namespace.Description, null);

    private string PathOf(SysctlKey key) => _root + "/" + key.Path;
}
