using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>
/// Runs a command body with a <see cref="CommandContext"/> and turns any failure into nfnet's
/// error contract. Ctrl-C (SIGINT) and SIGTERM cancel the body's token instead of killing the
/// process (<see cref="Interruption"/>), so every command can clean up (the demo deletes its
/// namespaces) and decide its own exit code (a watch ends with 0).
/// </summary>
/// <remarks>
/// A command that changes something must be able to say, when interrupted, what became of the
/// change. Such a command passes its token only to work that changes nothing (reading, parsing,
/// or a commit that observes cancellation only until it is sent, <c>NfTablesClient.CommitAsync</c>),
/// runs each change to its end once started (<see cref="CommandContext.ChangeAsync"/>), and says in
/// <c>interrupted</c> what an interruption means for it ("nothing was changed").
/// </remarks>
internal static class CommandAction
{
    /// <summary>Sets <paramref name="body"/> as <paramref name="command"/>'s action.</summary>
    /// <param name="command">The command.</param>
    /// <param name="body">What it does.</param>
    /// <param name="interrupted">
    /// For a command that changes something: what an interruption (which ends it with exit code 1)
    /// means for the change, e.g. "nothing was changed". Null for commands that only read.
    /// </param>
    public static void Set(Command command, Func<CommandContext, CancellationToken, Task<int>> body, string? interrupted = null) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, body, interrupted, cancellationToken));

    public static async Task<int> RunAsync(ParseResult parse, Func<CommandContext, CancellationToken, Task<int>> body, string? interrupted, CancellationToken cancellationToken)
    {
        CancellationTokenSource stop = Interruption.Begin(cancellationToken);
        using var context = new CommandContext(parse, Console.Out, Console.Error);
        try
        {
            return await body(context, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (interrupted is not null)
        {
            return ErrorReporter.Report(new CommandFailedException($"interrupted; {interrupted}", e), context.Error, context.Verbose);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, context.Error, context.Verbose);
        }
        finally
        {
            Interruption.End(stop);
        }
    }
}
