using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>Runs a command body with a <see cref="CommandContext"/> and turns any failure into nfnet's error contract.</summary>
internal static class CommandAction
{
    /// <summary>Sets <paramref name="body"/> as <paramref name="command"/>'s action.</summary>
    public static void Set(Command command, Func<CommandContext, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, body, cancellationToken));

    public static async Task<int> RunAsync(ParseResult parse, Func<CommandContext, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        using var context = new CommandContext(parse, Console.Out, Console.Error);
        try
        {
            return await body(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, context.Error, context.Verbose);
        }
    }
}
