using System;
using System.Text;
using Netfilter.Net.Interop;
using static Tmds.Linux.LibC;

namespace Netfilter.Net.Sysctl;

/// <summary>
/// Reads and writes one file under /proc/sys with plain open/read/write, so the caller gets the
/// kernel's errno untranslated (EINVAL for a rejected value comes from write(2)). The file is
/// opened on the calling thread, which is what makes /proc/sys/net resolve to that thread's
/// network namespace.
/// </summary>
internal static unsafe class SysctlFile
{
    /// <summary>Reads the whole file; returns <see cref="Errno.None"/> or the errno of open/read.</summary>
    public static Errno TryRead(string path, out string value)
    {
        value = string.Empty;
        Errno errno = Open(path, O_RDONLY | O_CLOEXEC, out FileDescriptorHandle? handle);
        if (handle is null)
        {
            return errno;
        }
        using (handle)
        {
            // Values are short (a number, a few numbers, a name); grow for the rare long one.
            byte[] buffer = new byte[256];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                long count;
                fixed (byte* p = buffer)
                {
                    do
                    {
                        count = read(handle.Fd, p + length, buffer.Length - length);
                    }
                    while (Syscall.Interrupted(count, out errno));
                }
                if (count < 0)
                {
                    return errno;
                }
                if (count == 0)
                {
                    break;
                }
                length += (int)count;
            }
            value = Encoding.UTF8.GetString(buffer, 0, length);
            return Errno.None;
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/> followed by a newline in one write(2), as sysctl(8) does
    /// (procps opens with fopen "w": O_WRONLY|O_CREAT|O_TRUNC; O_CREAT is left out here so a
    /// missing key is ENOENT). Returns <see cref="Errno.None"/> or the errno of open/write;
    /// <paramref name="cut"/> is true when the kernel took only the start of the value.
    /// </summary>
    public static Errno Write(string path, string value, out bool cut)
    {
        cut = false;
        Errno errno = Open(path, O_WRONLY | O_TRUNC | O_CLOEXEC, out FileDescriptorHandle? handle);
        if (handle is null)
        {
            return errno;
        }
        using (handle)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value + "\n");
            long written;
            fixed (byte* p = bytes)
            {
                do
                {
                    written = write(handle.Fd, p, bytes.Length);
                }
                while (Syscall.Interrupted(written, out errno));
            }
            if (written < 0)
            {
                return errno;
            }
            // A key that holds one number (proc_dointvec and friends) parses the first and
            // returns the bytes it consumed: "1 2" is a short write that has already set 1. The
            // caller puts the old value back; a cut value must never pass as success.
            cut = written != bytes.Length;
            return Errno.None;
        }
    }

    /// <summary>
    /// True when <paramref name="path"/> lies on a read-only mount (statvfs ST_RDONLY): /proc/sys in
    /// a container that is not privileged. The mount table belongs to the process's mount
    /// namespace, so this needs no network-namespace thread.
    /// </summary>
    public static bool IsOnReadOnlyMount(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        Tmds.Linux.statvfs status;
        int result;
        fixed (byte* p = bytes)
        {
            do
            {
                result = statvfs(p, &status);
            }
            while (Syscall.Interrupted(result, out _));
        }
        return result == 0 && (status.f_flag & (ulong)ST_RDONLY) != 0;
    }

    /// <summary>The permission bits of <paramref name="path"/>, or null when it cannot be inspected.</summary>
    public static int? Mode(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        Tmds.Linux.stat status;
        int result;
        fixed (byte* p = bytes)
        {
            do
            {
                result = stat(p, &status);
            }
            while (Syscall.Interrupted(result, out _));
        }
        return result == 0 ? (int)(status.st_mode & 0xfff) : null;
    }

    private static Errno Open(string path, int flags, out FileDescriptorHandle? handle)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        Errno errno;
        fixed (byte* p = bytes)
        {
            do
            {
                fd = open(p, flags, 0);
            }
            while (Syscall.Interrupted(fd, out errno));
        }
        handle = fd >= 0 ? new FileDescriptorHandle(fd) : null;
        return errno;
    }
}
