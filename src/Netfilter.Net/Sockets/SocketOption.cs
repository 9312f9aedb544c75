using System;
using System.Net.Sockets;
using Netfilter.Net.Interop;
using static Tmds.Linux.LibC;

namespace Netfilter.Net.Sockets;

/// <summary>
/// getsockopt/setsockopt on a .NET <see cref="Socket"/>'s descriptor, returning the raw errno
/// (Socket.GetRawSocketOption reports a SocketError, which loses ENOENT vs ENOPROTOOPT).
/// </summary>
internal static unsafe class SocketOption
{
    public static Errno Get(Socket socket, int level, int name, Span<byte> value, out int length)
    {
        SafeSocketHandle handle = socket.SafeHandle;
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            Tmds.Linux.socklen_t size = (uint)value.Length;
            int result;
            Errno errno;
            fixed (byte* p = value)
            {
                do
                {
                    result = getsockopt(fd, level, name, p, &size);
                }
                while (Syscall.Interrupted(result, out errno));
            }
            length = (int)(uint)size;
            return result < 0 ? errno : Errno.None;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    public static Errno SetInt32(Socket socket, int level, int name, int value)
    {
        SafeSocketHandle handle = socket.SafeHandle;
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            int result;
            Errno errno;
            do
            {
                result = setsockopt(fd, level, name, &value, sizeof(int));
            }
            while (Syscall.Interrupted(result, out errno));
            return result < 0 ? errno : Errno.None;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
