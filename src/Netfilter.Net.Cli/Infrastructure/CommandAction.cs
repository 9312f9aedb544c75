using System;
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>
/// Runs a command body with a <see cref="CommandContext"/> and turns any failure into nfnet's
/// error contract. Ctrl-C (SIGINT) and SIGTERM cancel the body's token instead of killing the
/// process, so every command can clean up (the demo deletes its namespaces) and decide its own
/// exit code (a watch ends with 0).
/// </summary>
internal static class CommandAction
{
    /// <summary>Sets <paramref name="body"/> as <paramref name="command"/>'s action.</summary>
    public static void Set(Command command, Func<CommandContext, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, body, cancellationToken));

    public static async Task<int> RunAsync(ParseResult parse, Func<CommandContext, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        using var context = new CommandContext(parse, Console.Out, Console.Error);
        try
        {
            return await body(context, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, context.Error, context.Verbose);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
