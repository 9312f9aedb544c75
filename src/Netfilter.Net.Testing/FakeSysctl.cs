using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Netfilter.Net.Sysctl;
using Netfilter.Net.Testing.Internal;

namespace Netfilter.Net.Testing;

/// <summary>
/// The sysctls of a fake namespace: an in-memory /proc/sys/net with the keys port redirection
/// uses and the values a new network namespace starts with, behind <see cref="ISysctlClient"/>
/// (so <see cref="ForwardingExtensions"/> works on it).
/// </summary>
/// <remarks>
/// <para><b>Keys.</b> <c>net.ipv4.ip_forward</c> (0), and for <c>all</c>, <c>default</c> and every
/// interface of <see cref="FakeHost"/>: <c>net.ipv4.conf.IF.forwarding</c>,
/// <c>net.ipv4.conf.IF.route_localnet</c> and <c>net.ipv6.conf.IF.forwarding</c> (0);
/// <c>net.netfilter.nf_conntrack_max</c> (262144, read-only as outside the initial namespace),
/// <c>net.netfilter.nf_conntrack_count</c> (read-only: the fake conntrack table's size),
/// <c>net.netfilter.nf_conntrack_acct</c> and <c>net.netfilter.nf_conntrack_timestamp</c> (0).
/// Other keys exist once a test <see cref="Define"/>s them.</para>
/// <para><b>As the kernel does it.</b> Writing <c>net.ipv4.ip_forward</c> or
/// <c>net.ipv4.conf.all.forwarding</c> (one value) sets <c>conf.default</c> and every interface too;
/// <c>net.ipv6.conf.all.forwarding</c> likewise; an interface's or <c>default</c>'s key only itself.
/// A new interface starts from <c>conf.default</c>. Values are integers as proc_dointvec reads them
/// (" 1 " is 1, "1 2" is 1, "abc" is refused with EINVAL). Keys outside <c>net.</c> are refused with
/// the <see cref="ArgumentException"/> <see cref="SysctlClient"/> gives unless
/// <see cref="AllowGlobalKeys"/>; a missing key, a read-only key, a rejected value and a read-only
/// /proc/sys (<see cref="FakeFaults.ProcSysReadOnly"/>) raise the <see cref="SysctlException"/> the
/// real client raises, with the same <see cref="SysctlException.Kind"/>.</para>
/// </remarks>
public sealed class FakeSysctl : ISysctlClient
{
    private const int ReadOnlyMode = 0x124; // 0444
    private const int WritableMode = 0x1a4; // 0644
    private static readonly string[] s_ipv4InterfaceKeys = { "forwarding", "route_localnet" };
    private static readonly string[] s_ipv6InterfaceKeys = { "forwarding" };

    private readonly object _lock = new();
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly List<string> _interfaces = new();
    private readonly string _where;
    private readonly FakeFaultState _faults;
    private readonly Func<int> _conntrackCount;

    internal FakeSysctl(string where, FakeFaultState faults, Func<int> conntrackCount)
    {
        _where = where;
        _faults = faults;
        _conntrackCount = conntrackCount;
        foreach (string name in new[] { SysctlKey.AllInterfaces, SysctlKey.DefaultInterface })
        {
            AddInterfaceKeys(name, null);
        }
        _values["net/netfilter/nf_conntrack_max"] = new Value("262144", ReadOnly: true);
        _values["net/netfilter/nf_conntrack_acct"] = new Value("0", ReadOnly: false);
        _values["net/netfilter/nf_conntrack_timestamp"] = new Value("0", ReadOnly: false);
    }

    /// <summary>
    /// Whether keys outside <c>net.</c> may be read and written (they are then ordinary entries of
    /// this in-memory store, created with <see cref="Define"/>). False by default, as on <see cref="SysctlClient"/>.
    /// </summary>
    public bool AllowGlobalKeys { get; set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key is not under net. and <see cref="AllowGlobalKeys"/> is not set.</exception>
    public string Read(SysctlKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadMany(new[] { key })[0] ?? throw SysctlException.Create(Errno.ENOENT, key, null, _where, null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key is not under net. and <see cref="AllowGlobalKeys"/> is not set.</exception>
    public bool TryRead(SysctlKey key, out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        string? read = ReadMany(new[] { key })[0];
        value = read ?? string.Empty;
        return read is not null;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key is not under net. and <see cref="AllowGlobalKeys"/> is not set.</exception>
    public bool Exists(SysctlKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureInScope(key);
        lock (_lock)
        {
            return Lookup(key.Path) is not null;
        }
    }

    /// <inheritdoc />
    public void Write(SysctlKey key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        WriteMany(new[] { (key, value) });
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A key is not under net. and <see cref="AllowGlobalKeys"/> is not set.</exception>
    public IReadOnlyList<string?> ReadMany(IReadOnlyList<SysctlKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (SysctlKey key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            EnsureInScope(key);
        }
        lock (_lock)
        {
            return keys.Select(k => Lookup(k.Path)?.Text).ToList();
        }
    }

    /// <inheritdoc />
    public void WriteMany(IReadOnlyList<(SysctlKey Key, string Value)> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach ((SysctlKey key, string value) in settings)
        {
            ArgumentNullException.ThrowIfNull(key);
            EnsureInScope(key);
            SysctlClient.ValidateValue(value);
        }
        lock (_lock)
        {
            foreach ((SysctlKey key, string value) in settings)
            {
                Value? current = Lookup(key.Path);
                if (_faults.ProcSysReadOnly)
                {
                    throw SysctlException.Create(Errno.EROFS, key, value, _where, current is null ? null : Mode(current));
                }
                if (current is null)
                {
                    throw SysctlException.Create(Errno.ENOENT, key, value, _where, null);
                }
                if (current.ReadOnly)
                {
                    throw SysctlException.Create(Errno.EACCES, key, value, _where, ReadOnlyMode);
                }
                string stored = current.IsText ? value : ParseInteger(value) ?? throw SysctlException.Create(Errno.EINVAL, key, value, _where, WritableMode);
                Store(key.Path, stored);
            }
        }
    }

    /// <summary>
    /// Creates a key the fake does not have (or replaces one), e.g.
    /// <c>Define(SysctlKey.Parse("net.ipv4.conf.all.rp_filter"), "2")</c>. Integer values are
    /// checked on write as the kernel's proc_dointvec checks them; any other value makes a text key.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="value">Its value.</param>
    /// <param name="readOnly">Writes fail as they do on a key of mode 0444 (<see cref="SysctlErrorKind.ReadOnlyKey"/>).</param>
    public void Define(SysctlKey key, string value, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            _values[key.Path] = new Value(value, readOnly) { IsText = ParseInteger(value) is null };
        }
    }

    /// <summary>Removes a key, as an unloaded module or a missing interface leaves it absent; false when there was none.</summary>
    public bool Undefine(SysctlKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            return _values.Remove(Canonical(key.Path));
        }
    }

    internal void AddInterface(string name)
    {
        lock (_lock)
        {
            AddInterfaceKeys(name, SysctlKey.DefaultInterface);
            _interfaces.Add(name);
        }
    }

    internal void RemoveInterface(string name)
    {
        lock (_lock)
        {
            _interfaces.Remove(name);
            foreach (string family in new[] { "ipv4", "ipv6" })
            {
                string prefix = $"net/{family}/conf/{name}/";
                foreach (string path in _values.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                {
                    _values.Remove(path);
                }
            }
        }
    }

    private void AddInterfaceKeys(string name, string? copyFrom)
    {
        foreach (string key in s_ipv4InterfaceKeys)
        {
            _values[$"net/ipv4/conf/{name}/{key}"] = new Value(copyFrom is null ? "0" : _values[$"net/ipv4/conf/{copyFrom}/{key}"].Text, ReadOnly: false);
        }
        foreach (string key in s_ipv6InterfaceKeys)
        {
            _values[$"net/ipv6/conf/{name}/{key}"] = new Value(copyFrom is null ? "0" : _values[$"net/ipv6/conf/{copyFrom}/{key}"].Text, ReadOnly: false);
        }
    }

    /// <summary>The stored value of a path; ip_forward is conf.all.forwarding under another name, nf_conntrack_count is the table's size.</summary>
    private Value? Lookup(string path)
    {
        if (path == "net/netfilter/nf_conntrack_count")
        {
            return new Value(_conntrackCount().ToString(CultureInfo.InvariantCulture), ReadOnly: true);
        }
        return _values.TryGetValue(Canonical(path), out Value? value) ? value : null;
    }

    private static string Canonical(string path) => path == "net/ipv4/ip_forward" ? "net/ipv4/conf/all/forwarding" : path;

    /// <summary>Stores a value with the kernel's side effects (devinet_sysctl_forward, addrconf_fixup_forwarding).</summary>
    private void Store(string path, string value)
    {
        path = Canonical(path);
        _values[path] = _values[path] with { Text = value };
        foreach (string family in new[] { "ipv4", "ipv6" })
        {
            if (path == $"net/{family}/conf/all/forwarding")
            {
                foreach (string name in _interfaces.Append(SysctlKey.DefaultInterface))
                {
                    string each = $"net/{family}/conf/{name}/forwarding";
                    _values[each] = _values[each] with { Text = value };
                }
            }
        }
    }

    private void EnsureInScope(SysctlKey key)
    {
        if (!AllowGlobalKeys && !key.IsPerNetworkNamespace)
        {
            throw SysctlClient.OutOfScope(key, _where);
        }
    }

    private static int Mode(Value value) => value.ReadOnly ? ReadOnlyMode : WritableMode;

    /// <summary>proc_dointvec's reading of a single integer: blanks around it, anything after a blank ignored; null when it is not one.</summary>
    private static string? ParseInteger(string text)
    {
        string[] words = text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && long.TryParse(words[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
            && number is >= int.MinValue and <= int.MaxValue
            ? number.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    private sealed record Value(string Text, bool ReadOnly)
    {
        public bool IsText { get; init; }
    }
}
