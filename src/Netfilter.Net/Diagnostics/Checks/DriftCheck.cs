using System.Collections.Generic;
using System.Linq;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Has our table drifted from its typed rules? A rule whose pieces are only partly in the kernel
/// (some deleted or changed by hand) half works: a forward without its return path, a redirect
/// on one hook only. Pieces without a typed-rule comment (an element added with nft) translate
/// packets that no typed rule, and so no <c>nfnet list</c> line, shows. A hairpin rule matches
/// the network the host had when it was written. A table in an earlier layout (1 or 2) is migrated by the next change.
/// </summary>
internal static class DriftCheck
{
    public static void Run(DoctorFacts facts, List<DoctorFinding> findings)
    {
        if (facts.TableReport is not NatTableReport report)
        {
            return;
        }
        NatTableScope apply = Advice.Apply(facts);
        foreach (NatPartialRule partial in report.Partial)
        {
            findings.Add(new DoctorFinding(DoctorSeverity.Warning, DoctorCodes.TableDrift,
                $"'{partial.Rule}' is only partly in table inet {facts.Table}: {string.Join("; ", partial.Problems)}.",
                "A typed rule is written as all its pieces at once (map elements, return-path and hairpin rules), each carrying its text as comment; with some missing or changed by hand it works only in part (a forward without its masquerade loses its replies), and NatTable.ListAsync leaves it out.",
                DoctorFixText.Of($"Add it again to make it whole: {Advice.Add(facts, partial.Rule)} (NatTable.AddAsync), or remove what is left: {Advice.Remove(facts, partial.Rule)} ({Advice.RemoveCall(partial.Rule)}); {apply} with the rules you want does either."))
            { Rule = partial.Rule.ToString() });
        }
        foreach (NatRule stale in report.Stale)
        {
            findings.Add(new DoctorFinding(DoctorSeverity.Warning, DoctorCodes.TableDrift,
                $"the hairpin rules of '{stale}' match a network that is no longer the connected network of its target on this host.",
                "Hairpin masquerades clients on the server's own network; that network was read from the host's addresses when the rule was written, and they have changed since, so clients beside the server may not be masqueraded.",
                DoctorFixText.Of($"Apply the rules again: {apply} with the rules you want (or {Advice.Remove(facts, stale)}, then {Advice.Add(facts, stale)}) writes the hairpin rules for today's network."))
            { Rule = stale.ToString() });
        }
        if (report.Foreign.Count > 0)
        {
            findings.Add(new DoctorFinding(DoctorSeverity.Warning, DoctorCodes.TableDrift,
                $"table inet {facts.Table} holds {report.Foreign.Count} piece{(report.Foreign.Count == 1 ? string.Empty : "s")} that no typed rule accounts for: {string.Join("; ", report.Foreign.Take(5))}{(report.Foreign.Count > 5 ? "; ..." : string.Empty)}.",
                "Everything NatTable writes carries the text of the typed rule it belongs to; a piece without one (added with nft, for example) still translates packets, but no typed rule shows it, NatTable.ListAsync leaves it out (InspectAsync reports it as foreign), and adding a rule on the same port is refused.",
                DoctorFixText.Of($"Remove it with nft, or let {apply} with the rules you want remove it (its contract is exactly those rules); to keep what it does, add it as a typed rule: {Advice.AddRule(facts)} with a RedirectRule or DnatRule."))
            );
        }
        if (report.Ownership == NatTableOwnership.Legacy)
        {
            findings.Add(new DoctorFinding(DoctorSeverity.Info, DoctorCodes.TableDrift,
                report.LayoutVersion == 1
                    ? $"table inet {facts.Table} is in layout 1 (written by an earlier Netfilter.Net), where two forwards to one server share their masquerade."
                    : $"table inet {facts.Table} is in layout {report.LayoutVersion} (written by an earlier Netfilter.Net), whose rules count nothing.",
                report.LayoutVersion == 1
                    ? "In layout 1 a forward's masquerade was keyed by its server only, so removing one forward took the return path of another; later layouts give every rule its own pieces."
                    : $"Layout {NatTableLayout.Version} gives every rule a counter of the connections it translates (NatTable.ListStatisticsAsync); the packet path is the same.",
                DoctorFixText.Of($"Any change migrates it, in one transaction and keeping its rules: {Advice.AddRule(facts)} of a rule that is there, or {apply} with the rules you want."))
            );
        }
    }
}
