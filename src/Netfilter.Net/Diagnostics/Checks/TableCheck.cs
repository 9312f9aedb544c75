using System.Collections.Generic;
using System.Linq;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Diagnostics;

/// <summary>Is there anything to examine: the table, its layout, a rule for the port asked about.</summary>
internal static class TableCheck
{
    /// <summary>The forward the advice for a missing table shows as an example.</summary>
    private static readonly DnatRule Example = new(TransportProtocol.Tcp, 2222, System.Net.IPAddress.Parse("192.168.1.10"), 22);

    /// <summary>Adds findings; false when there is nothing further to examine.</summary>
    public static bool Run(DoctorFacts facts, List<DoctorFinding> findings)
    {
        if (!facts.TableExists)
        {
            findings.Add(new DoctorFinding(DoctorSeverity.Info, DoctorCodes.TableMissing,
                $"table inet {facts.Table} does not exist in {facts.NamespaceText}: there are no forwards or redirects to examine.",
                "The doctor examines the typed rules that NatTable keeps in that table (their comments say what each one is).",
                DoctorFixText.Of($"Add one, e.g. {Advice.Add(facts, Example)} (NatTable.ApplyAsync or AddAsync), or examine another table: {Advice.Examine(facts)}.")));
            return false;
        }
        if (facts.TableReport is { Ownership: NatTableOwnership.Foreign } foreign)
        {
            findings.Add(new DoctorFinding(DoctorSeverity.Error, DoctorCodes.TableNotOwned,
                $"{foreign.NotOwnedReason}.",
                "NatTable changes only tables it made (the table comment \"nfnet NAT table NAME layout N\" marks them): another tool's table can hold chains (a drop policy, other NAT) that no typed rule shows, so every add, remove and apply on this name is refused rather than adopting it.",
                DoctorFixText.Of($"Use another table name: {Advice.OtherTable(facts)}; or, if nothing needs the existing table, delete it: nft delete table inet {facts.Table}.")));
            return false;
        }
        if (facts.MissingLayout.Count > 0)
        {
            findings.Add(new DoctorFinding(DoctorSeverity.Warning, DoctorCodes.TableLayoutIncomplete,
                $"table inet {facts.Table} lacks {string.Join(", ", facts.MissingLayout)}.",
                "The base chains jump to the rule chains and look ports up in the maps; with pieces removed (by hand, or by another tool), the forwards and redirects stored there are never consulted.",
                DoctorFixText.Of($"Apply the rules again: {Advice.Apply(facts)} with the same rules, or any add to the table, rebuilds what is missing.")));
        }
        if (facts.Port is int port && !facts.RulesInScope().Any())
        {
            findings.Add(new DoctorFinding(DoctorSeverity.Info, DoctorCodes.NoRuleForPort,
                $"table inet {facts.Table} has no forward, redirect or tproxy rule for port {port}.",
                $"The table holds {(facts.Rules.Count == 0 ? "no rules" : string.Join(", ", facts.Rules.Select(r => $"'{r}'")))}; nothing there touches port {port}.",
                DoctorFixText.Of($"List what is there with {Advice.List(facts)}, or add the rule you expected.")));
            return false;
        }
        return true;
    }
}
