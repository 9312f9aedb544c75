using System;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables;
using Netfilter.Net.Testing.Internal;

namespace Netfilter.Net.Testing;

/// <summary>
/// The nftables ruleset of a fake namespace, as <c>nft</c> sees it: what the NAT tables wrote,
/// read back as <see cref="NfTablesClient"/> reads it, and changes a test makes by hand (as
/// someone would with <c>nft add element ...</c>) to see what the tables and the doctor make of them.
/// </summary>
/// <example>
/// <code>
/// // A forward added by hand into the NAT table's map: InspectAsync reports it as foreign, ApplyAsync removes it.
/// await kernel.NfTables.CommitAsync(new NfTablesTransaction().AddElements(new Set(NetfilterFamily.Inet, "portfwd", "dnat4_pre"), elements));
/// </code>
/// </example>
public sealed class FakeNfTables
{
    // The "socket" of changes made by hand: no NAT table's, so tables owned by a NatTable refuse them (EPERM).
    private const uint HandPort = 0x7fff_0001;
    private readonly InMemoryRuleset _ruleset;
    private readonly FakeFaultState _faults;

    internal FakeNfTables(InMemoryRuleset ruleset, FakeFaultState faults)
    {
        _ruleset = ruleset;
        _faults = faults;
    }

    /// <summary>The ruleset's generation: it moves on with every commit that changes something.</summary>
    public uint Generation => _ruleset.Generation;

    /// <summary>Everything the namespace holds (every family, or one), read at one generation, as <see cref="NfTablesClient.GetRulesetAsync"/> returns it.</summary>
    /// <exception cref="NetlinkException">EPERM while <see cref="FakeFaults.NetAdminDenied"/>.</exception>
    public Ruleset GetRuleset(NetfilterFamily family = NetfilterFamily.Unspecified)
    {
        Deny();
        return _ruleset.Snapshot(family, null, withElements: true, ruleChains: null);
    }

    /// <summary>One table with its chains, sets, elements and rules, as <see cref="NfTablesClient.GetTableSnapshotAsync"/> returns it (no tables when it does not exist).</summary>
    /// <exception cref="NetlinkException">EPERM while <see cref="FakeFaults.NetAdminDenied"/>.</exception>
    public Ruleset GetTable(NetfilterFamily family, string table)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        Deny();
        return _ruleset.Snapshot(family, table, withElements: true, ruleChains: null);
    }

    /// <summary>
    /// Commits <paramref name="transaction"/> as <see cref="NfTablesClient.CommitAsync"/> does:
    /// every operation or none, with the generation check when it has one. The in-memory kernel
    /// checks that what operations name exists (ENOENT), that nothing is created twice (EEXIST),
    /// that chains and sets in use are not deleted (EBUSY) and that tables owned by a NAT table
    /// are left alone (EPERM); it does not validate expressions, and refuses stateful objects and
    /// flowtables with <see cref="NotSupportedException"/>.
    /// </summary>
    /// <exception cref="NfTablesGenerationException">The generation check failed.</exception>
    /// <exception cref="NfTablesException">An operation was refused; nothing was applied.</exception>
    public Task<NfTablesCommitResult> CommitAsync(NfTablesTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_ruleset.Commit(transaction, HandPort));
    }

    private void Deny()
    {
        if (_faults.NetAdminDenied)
        {
            throw FakeErrors.Denied("get NFT_MSG_GETGEN", 0);
        }
    }
}
