using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Nat;

/// <summary>
/// A typed NAT table: what a service calls to keep its port redirections in the kernel.
/// <see cref="NatTable"/> implements it over netlink; <c>Netfilter.Net.Testing</c> implements it in
/// memory with the same validation, identity, conflict and result rules, so code written against
/// this interface can be tested without root.
/// </summary>
/// <remarks>
/// Every mutation is one atomic transaction. A rule's identity (<see cref="NatRule.Identity"/>) is
/// what <see cref="RemoveAsync"/> matches; two rules whose claims overlap are refused
/// (<see cref="NatRuleConflictException"/> from <see cref="AddAsync"/>, <see cref="ArgumentException"/>
/// from <see cref="ApplyAsync"/>).
/// </remarks>
public interface INatTable : IDisposable
{
    /// <summary>The table's name (family inet).</summary>
    string Name { get; }

    /// <summary>Makes the table hold exactly <paramref name="desired"/> (see <see cref="NatTable.ApplyAsync"/>).</summary>
    /// <exception cref="ArgumentException">Two desired rules claim the same packets.</exception>
    /// <exception cref="NatTableNotOwnedException">A table of that name exists and was not made by Netfilter.Net.</exception>
    /// <exception cref="NfTables.NfTablesException">The kernel refused; nothing was applied.</exception>
    Task<NatApplyResult> ApplyAsync(IEnumerable<NatRule> desired, CancellationToken cancellationToken = default);

    /// <summary>Adds one rule; false when the identical rule is already whole (see <see cref="NatTable.AddAsync"/>).</summary>
    /// <exception cref="NatRuleConflictException">Another rule holds some of the packets this one claims.</exception>
    /// <exception cref="NatTableNotOwnedException">A table of that name exists and was not made by Netfilter.Net.</exception>
    /// <exception cref="NfTables.NfTablesException">The kernel refused; nothing was applied.</exception>
    Task<bool> AddAsync(NatRule rule, CancellationToken cancellationToken = default);

    /// <summary>Removes the rule with <paramref name="rule"/>'s identity, whatever its options; returns the rule removed, or null when none has that identity and none overlaps (see <see cref="NatTable.RemoveAsync"/>).</summary>
    /// <exception cref="NatRuleConflictException">No rule has that identity, but another rule holds some of its packets.</exception>
    /// <exception cref="NatTableNotOwnedException">A table of that name exists and was not made by Netfilter.Net.</exception>
    /// <exception cref="NfTables.NfTablesException">The kernel refused; nothing was removed.</exception>
    Task<NatRule?> RemoveAsync(NatRule rule, CancellationToken cancellationToken = default);

    /// <summary>The typed rules the table holds whole, read back (see <see cref="NatTable.ListAsync"/>).</summary>
    /// <exception cref="NatTableNotOwnedException">A table of that name exists and was not made by Netfilter.Net.</exception>
    Task<IReadOnlyList<NatRule>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The typed rules the table holds whole, each with its counters (see
    /// <see cref="NatTable.ListStatisticsAsync"/> and <see cref="NatRuleStatistics"/>). The default
    /// reads them from <see cref="InspectAsync"/>'s <see cref="NatTableReport.Statistics"/>.
    /// </summary>
    /// <exception cref="NatTableNotOwnedException">A table of that name exists and was not made by Netfilter.Net.</exception>
    async Task<IReadOnlyList<NatRuleStatistics>> ListStatisticsAsync(CancellationToken cancellationToken = default)
    {
        NatTableReport report = await InspectAsync(cancellationToken).ConfigureAwait(false);
        if (report.Ownership == NatTableOwnership.Foreign)
        {
            throw new NatTableNotOwnedException(Name, report.NotOwnedReason!);
        }
        return report.Statistics;
    }

    /// <summary>Everything the table holds: whole, partial and stale rules, foreign pieces, layout problems (see <see cref="NatTable.InspectAsync"/>). Never throws for a foreign table: the report says so.</summary>
    Task<NatTableReport> InspectAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the whole table; false when it did not exist.</summary>
    /// <exception cref="NatTableNotOwnedException">A table of that name exists and was not made by Netfilter.Net.</exception>
    Task<bool> DeleteAsync(CancellationToken cancellationToken = default);
}
