using Tmds.Linux;

namespace Netfilter.Net.Interop;

/// <summary>
/// The one place that decides about EINTR and captures errno. Every system call is written
/// <c>do { r = call(); } while (Syscall.Interrupted(r, out errno));</c>: errno is read
/// immediately after the P/Invoke returns, before anything else can overwrite it
/// (dotnet/runtime's CheckInterrupted invariant), and EINTR is retried here and nowhere else.
/// </summary>
internal static class Syscall
{
    /// <summary>
    /// Inspects a system call's result: true when it failed with EINTR and must be retried;
    /// otherwise false, with <paramref name="errno"/> set on failure (result &lt; 0) or 0.
    /// </summary>
    public static bool Interrupted(long result, out Errno errno)
    {
        if (result >= 0)
        {
            errno = Errno.None;
            return false;
        }
        int e = LibC.errno;
        errno = (Errno)e;
        return e == LibC.EINTR;
    }

    /// <summary>Throws a <see cref="NetlinkException"/> naming <paramref name="operation"/> when <paramref name="result"/> is a failure.</summary>
    public static long ThrowOnError(long result, Errno errno, string operation)
    {
        if (result < 0)
        {
            throw new NetlinkException(errno, operation);
        }
        return result;
    }
}
