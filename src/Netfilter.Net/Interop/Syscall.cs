using Tmds.Linux;

namespace Netfilter.Net.Interop;

/// <summary>
/// The one place that decides about EINTR and captures errno. Every system call is written
/// <c>do { r = call(); } while (Syscall.Interrupted(r, out errno));</c>: errno is read
/// immediately after the P/Invoke returns, before anything else can overwrite it
/// (dotnet/runtime's CheckInterrupted invariant), and EINTR is retried here and nowhere else.
/// </summary>
/// <remarks>
/// <c>LibC.errno</c> is the last P/Invoke error, recorded only by functions declared with
/// SetLastError = true. Tmds.LibC 0.5.0 declares poll (and ppoll) without it: the errno of a
/// failed poll is then whatever an earlier call left, which is how an EINTR after SIGSTOP/SIGCONT
/// came out as "poll(netlink) failed: EAGAIN" (issue 15 D4). The library no longer calls poll;
/// SyscallDeclarationTests fails if it ever calls such a function again.
/// </remarks>
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

    /// <summary>Throws a <see cref="NetfilterException"/> naming <paramref name="operation"/> when <paramref name="result"/> is a failure.</summary>
    public static long ThrowOnError(long result, Errno errno, string operation)
    {
        if (result < 0)
        {
            throw new NetfilterException(errno, operation);
        }
        return result;
    }
}
