using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// "nfnet KIND add|remove ...": builds the typed rule from the options and adds it to, or removes
/// it from, the NAT table (<see cref="NatTable.AddAsync"/>, <see cref="NatTable.RemoveAsync"/>):
/// one atomic transaction each, touching only that rule's pieces. Remove matches the rule's
/// identity (kind and match), whatever options it was added with, and prints the rule it removed.
/// A conflict (add: another rule holds the packets; remove: the rule there is another one) exits 1
/// with a message that shows the rule that is there.
/// </summary>
internal static class NatRuleCommand
{
    /// <summary>Called after a successful add or remove, for work beyond the table (tproxy's policy routing); <paramref name="rule"/> is the rule added or the rule actually removed.</summary>
    public delegate Task AfterChange(CommandContext context, NatTable table, NatRule rule, bool added, CancellationToken cancellationToken);

    /// <summary>
    /// Called before an add, for what the rule needs in place before it takes packets (tproxy's
    /// policy route). Returns how to undo it when the add then fails (null: nothing to undo), so a
    /// failed add leaves nothing behind.
    /// </summary>
    public delegate Task<Func<Task>?> BeforeAdd(CommandContext context, NatTable table, NatRule rule, CancellationToken cancellationToken);

    public static Command Create(string name, string description, Func<NatRuleOptions> options, AfterChange? after = null, BeforeAdd? before = null)
    {
        var command = new Command(name, description);
        command.Subcommands.Add(Verb("add", $"Add a {name} rule to the table (nothing changes when it is already there)", options(), add: true, after, before));
        command.Subcommands.Add(Verb("remove", $"Remove the {name} rule with this match from the table, whatever options it was added with", options(), add: false, after, before: null));
        return command;
    }

    private static Command Verb(string verb, string description, NatRuleOptions options, bool add, AfterChange? after, BeforeAdd? before)
    {
        var command = new Command(verb, description);
        foreach (Option option in options.Options)
        {
            command.Options.Add(option);
        }
        Option<string> table = CommonOptions.Table();
        command.Options.Add(table);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            NatRule rule = options.Build(context);
            string tableName = context.GetValue(table);
            string where = context.NamespaceName is null ? $"table inet {tableName}" : $"table inet {tableName} of namespace {context.NamespaceName}";
            using var nat = new NatTable(tableName, new NatTableOptions { Namespace = context.Namespace });
            // The change and what goes with it (tproxy's policy route) run to their end once
            // started: interrupted half-way, the table and the message would disagree.
            return await context.ChangeAsync(async () =>
            {
                if (add)
                {
                    bool added;
                    Func<Task>? undo = before is null ? null : await before(context, nat, rule, CancellationToken.None).ConfigureAwait(false);
                    try
                    {
                        added = await nat.AddAsync(rule, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (NatRuleConflictException e)
                    {
                        await UndoAsync(undo).ConfigureAwait(false);
                        throw new CommandFailedException($"cannot add to {where}: {rule}; {e.HolderText} is there and {e.Reason}: remove it first (see 'nfnet list')", e);
                    }
                    catch
                    {
                        await UndoAsync(undo).ConfigureAwait(false);
                        throw;
                    }
                    context.Output.WriteLine(added ? $"added to {where}: {rule}" : $"already in {where}: {rule}");
                    if (after is not null)
                    {
                        await after(context, nat, rule, true, CancellationToken.None).ConfigureAwait(false);
                    }
                    return ExitCodes.Success;
                }
                NatRule? removed;
                try
                {
                    removed = await nat.RemoveAsync(rule, CancellationToken.None).ConfigureAwait(false);
                }
                catch (NatRuleConflictException e)
                {
                    throw new CommandFailedException($"no such rule in {where}: {rule}; {e.HolderText} is there and {e.Reason}: nothing was removed (see 'nfnet list')", e);
                }
                if (removed is null)
                {
                    throw new CommandFailedException($"no such rule in {where}: {rule} (see 'nfnet list' for what is there)");
                }
                context.Output.WriteLine($"removed from {where}: {removed}");
                if (after is not null)
                {
                    await after(context, nat, removed, false, CancellationToken.None).ConfigureAwait(false);
                }
                return ExitCodes.Success;
            }, cancellationToken).ConfigureAwait(false);
        }, interrupted: "nothing was changed");
        return command;
    }

    /// <summary>Takes back what a <see cref="BeforeAdd"/> put in place for an add that failed; the add's own error is what the user needs, so a failing undo does not replace it.</summary>
    private static async Task UndoAsync(Func<Task>? undo)
    {
        if (undo is null)
        {
            return;
        }
        try
        {
            await undo().ConfigureAwait(false);
        }
        catch (NetfilterException)
        {
        }
    }
}
