using System;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Netfilter.Net.Interop;

/// <summary>
/// Owns a file descriptor. Closing happens once, in <see cref="ReleaseHandle"/>, so a failure
/// between socket() and bind() can never leak the fd (runtime pal_networkchange.c pattern).
/// </summary>
internal sealed class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle() : base(new IntPtr(-1), ownsHandle: true) { }

    public FileDescriptorHandle(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The raw descriptor. Callers hold a reference (DangerousAddRef) across the call when racing with Dispose matters.</summary>
    public int Fd => (int)handle.ToInt64();

    protected override bool ReleaseHandle()
    {
        // close() is not retried on EINTR: on Linux the fd is released even when close reports EINTR.
        return LibC.close((int)handle.ToInt64()) == 0;
    }
}
