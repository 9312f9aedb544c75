using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM, for the whole life of the process: while a command runs they
/// cancel its token (<see cref="Begin"/>); before and after, they are ignored, since the process
/// is about to start or end anyway. Never killing the process on these signals means a command
/// always decides its own exit code and last words: one that has applied a change says so even
/// when the signal arrives just after the change (a default SIGINT there would exit 130 after
/// the change, with no word of it).
/// </summary>
internal static class Interruption
{
    private static readonly object s_lock = new();
    private static PosixSignalRegistration? s_interrupt;
    private static PosixSignalRegistration? s_terminate;
    private static CancellationTokenSource? s_current;

    /// <summary>Installs the handlers (once) and returns the token source the signals cancel until <see cref="End"/>.</summary>
    public static CancellationTokenSource Begin(CancellationToken outer)
    {
        lock (s_lock)
        {
            s_interrupt ??= PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            s_terminate ??= PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            var source = CancellationTokenSource.CreateLinkedTokenSource(outer);
            s_current = source;
            return source;
        }
    }

    /// <summary>The command is over: later signals are ignored.</summary>
    public static void End(CancellationTokenSource source)
    {
        lock (s_lock)
        {
            if (ReferenceEquals(s_current, source))
            {
                s_current = null;
            }
        }
        source.Dispose();
    }

    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        lock (s_lock)
        {
            s_current?.Cancel();
        }
    }
}
