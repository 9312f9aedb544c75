using System;
using System.Globalization;
using System.IO;
using System.Text;
using Netfilter.Net.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Netfilter.Net;

/// <summary>
/// A Linux network namespace to work in. Every client of this library takes one; sockets and
/// /proc/sys files are opened inside it without moving the caller's thread, and keep the
/// namespace for their whole life.
/// </summary>
/// <remarks>
/// <para>The namespace is held open by a file descriptor, so it stays valid even if its name
/// under /run/netns is removed. Dispose releases the descriptor.</para>
/// <para><see cref="Current"/> means "the caller's own namespace" and never switches.</para>
/// </remarks>
public sealed partial class NetworkNamespace : IDisposable
{
    private const string NamedRoot = "/run/netns";
    private readonly FileDescriptorHandle? _handle;

    private NetworkNamespace(FileDescriptorHandle? handle, string description)
    {
        _handle = handle;
        Description = description;
    }

    /// <summary>The namespace of the calling thread. Work in it needs no thread switch.</summary>
    public static NetworkNamespace Current { get; } = new(null, "current network namespace");

    /// <summary>True for <see cref="Current"/>.</summary>
    public bool IsCurrent => _handle is null;

    /// <summary>Where the namespace came from, e.g. "/run/netns/router".</summary>
    public string Description { get; }

    /// <summary>
    /// True when <paramref name="name"/> can name a namespace under /run/netns (what <c>ip netns add</c>
    /// takes): not empty, no '/', not "." or "..". Whether it exists is <see cref="FromName"/>'s question.
    /// The one place the rule is written; options that carry a namespace name check it with this.
    /// </summary>
    public static bool IsValidName([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name) =>
        !string.IsNullOrEmpty(name) && !name.Contains('/', StringComparison.Ordinal) && name is not ("." or "..");

    /// <summary>
    /// A named namespace, as created by <c>ip netns add NAME</c>: /run/netns/<paramref name="name"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty, contains '/', or no such namespace exists.</exception>
    public static NetworkNamespace FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidName(name))
        {
            throw new ArgumentException($"{InputText.Quote(name)} is not a namespace name: use the name shown by 'ip netns list' (no '/').", nameof(name));
        }
        string path = $"{NamedRoot}/{name}";
        if (!File.Exists(path))
        {
            string quoted = InputText.Quote(name);
            // A name that had to be escaped or cut is not repeated in the path and the command.
            throw new ArgumentException(quoted.Length == name.Length + 2
                ? $"no network namespace named {quoted} ({path} does not exist): create it with 'ip netns add {name}'."
                : $"no network namespace named {quoted}: 'ip netns list' shows the names there are.", nameof(name));
        }
        return Open(path);
    }

    /// <summary>A namespace by the path of its nsfs file, e.g. /proc/1234/ns/net or a bind mount.</summary>
    /// <exception cref="ArgumentException">The path does not exist.</exception>
    public static NetworkNamespace FromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"{path} does not exist: pass the path of a network namespace file such as /proc/PID/ns/net or /run/netns/NAME.", nameof(path));
        }
        return Open(path);
    }

    /// <summary>The network namespace of process <paramref name="pid"/> (/proc/PID/ns/net).</summary>
    /// <exception cref="ArgumentException">No such process.</exception>
    public static NetworkNamespace FromPid(int pid)
    {
        if (pid <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pid), pid, "a process id is positive");
        }
        string path = string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/ns/net");
        if (!File.Exists(path))
        {
            throw new ArgumentException($"no process {pid} ({path} does not exist).", nameof(pid));
        }
        return Open(path);
    }

    private static unsafe NetworkNamespace Open(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = bytes)
        {
            Errno errno;
            do
            {
                fd = open(p, O_RDONLY | O_CLOEXEC, 0);
            }
            while (Syscall.Interrupted(fd, out errno));
            Syscall.ThrowOnError(fd, errno, $"open network namespace {path}");
        }
        return new NetworkNamespace(new FileDescriptorHandle(fd), path);
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    /// <summary>Releases the descriptor that holds the namespace. <see cref="Current"/> ignores this.</summary>
    public void Dispose() => _handle?.Dispose();
}
