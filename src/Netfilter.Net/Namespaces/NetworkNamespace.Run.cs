using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using Netfilter.Net.Interop;
using static Tmds.Linux.LibC;

namespace Netfilter.Net;

public sealed partial class NetworkNamespace
{
    /// <summary>
    /// Runs <paramref name="action"/> inside this namespace and returns its result. Use it to
    /// create sockets (a socket keeps the namespace it was created in) or open files under
    /// /proc/sys/net. The caller's thread never changes namespace.
    /// </summary>
    /// <remarks>
    /// The work runs synchronously on a new, dedicated OS thread that enters the namespace with
    /// setns(2) and ends afterwards, so no thread-pool thread is ever left in another namespace
    /// (mdlayher/socket: "the thread's network namespace is poisoned"). Do not start
    /// asynchronous work inside <paramref name="action"/>: continuations run elsewhere.
    /// For <see cref="Current"/> the action runs on the calling thread.
    /// </remarks>
    /// <exception cref="NetfilterException">setns failed, e.g. EPERM without CAP_SYS_ADMIN.</exception>
    public T Run<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_handle is null)
        {
            return action();
        }
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = RunOnThisThread(action);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns " + Description,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>Runs <paramref name="action"/> inside this namespace (see <see cref="Run{T}(Func{T})"/>).</summary>
    public void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run<bool>(() =>
        {
            action();
            return true;
        });
    }

    private T RunOnThisThread<T>(Func<T> action)
    {
        bool added = false;
        _handle!.DangerousAddRef(ref added);
        try
        {
            using NetworkNamespace original = Open("/proc/thread-self/ns/net");
            int target = _handle.Fd;
            SetNamespace(target, $"setns({Description})");
            try
            {
                return action();
            }
            finally
            {
                // Restoring is hygiene: the thread ends right after this call either way, so a
                // thread whose restore fails is never reused in the wrong namespace.
                int back = original._handle!.Fd;
                try
                {
                    SetNamespace(back, "setns(restore)");
                }
                catch (NetfilterException)
                {
                    // Ignored on purpose: see above.
                }
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private static void SetNamespace(int fd, string operation)
    {
        int result;
        Errno errno;
        do
        {
            result = setns(fd, CLONE_NEWNET);
        }
        while (Syscall.Interrupted(result, out errno));
        Syscall.ThrowOnError(result, errno, operation);
    }
}
