using System.Net;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Tests.Nat;

namespace Netfilter.Net.Tests.Diagnostics;

/// <summary>The doctor on a table that drifted from its typed rules, or that NatTable did not make.</summary>
public sealed class DriftCheckTests
{
    private static readonly NatRule Forward = NatRuleParser.Parse("dnat tcp 2222 to 10.0.2.2:22 masquerade");

    private static IReadOnlyList<DoctorFinding> Diagnose(Ruleset ruleset, string table = "t")
    {
        (bool exists, List<NatRule> rules, List<string> missing, NatTableReport report) = DoctorFactsReader.ReadTable(ruleset, table);
        return Doctor.Diagnose(new DoctorFacts(table, ruleset)
        {
            NamespaceName = "router",
            TableExists = exists,
            Rules = rules,
            MissingLayout = missing,
            TableReport = report,
            Forwarding = new global::Netfilter.Net.Sysctl.ForwardingStatus(true, true),
        });
    }

    [Fact]
    public void A_partial_rule_is_a_warning_that_says_what_is_missing_and_how_to_make_it_whole()
    {
        DoctorFinding finding = PartialRule();
        finding.Severity.Should().Be(DoctorSeverity.Warning);
        finding.Rule.Should().Be(Forward.ToString());
        finding.Problem.Should().Be("'dnat tcp 2222 to 10.0.2.2:22 masquerade' is only partly in table inet t: missing element tcp . 2222 . 10.0.2.2 . 22 in set masq4.");
        finding.Fixes.Should().Equal(new AddNatRuleFix("t", Forward) { NamespaceName = "router" }, new RemoveNatRuleFix("t", Forward) { NamespaceName = "router" });
        finding.Fix.Should().Contain("add 'dnat tcp 2222 to 10.0.2.2:22 masquerade' to table t in namespace router (NatTable.AddAsync)");
    }

    /// <summary>The drift finding for a forward whose masquerade element is gone (also shown as nfnet writes it: Cli/FixCommandsTests).</summary>
    internal static DoctorFinding PartialRule()
    {
        Ruleset ruleset = new NatSnapshot("t", rules: Forward).DeleteElement(NatTableLayout.Masq4, "tcp . 2222 . 10.0.2.2 . 22").Build();
        return Diagnose(ruleset).Should().ContainSingle(f => f.Code == DoctorCodes.TableDrift).Subject;
    }

    [Fact]
    public void Pieces_added_by_hand_are_one_warning_that_lists_them()
    {
        var element = new SetElement(NatRuleCompiler.Key(6, 4444)) { Data = NftData.Concat(NftData.FromIPAddress(IPAddress.Parse("10.0.2.9")), NftData.FromPort(22)) };
        Ruleset ruleset = new NatSnapshot("t", rules: Forward).AddElement(NatTableLayout.Dnat4Pre, element).Build();
        DoctorFinding finding = Diagnose(ruleset).Should().ContainSingle(f => f.Code == DoctorCodes.TableDrift).Subject;
        finding.Severity.Should().Be(DoctorSeverity.Warning);
        finding.Problem.Should().Be("table inet t holds 1 piece that no typed rule accounts for: element tcp . 4444 : 10.0.2.9 . 22 in map dnat4_pre (no comment).");
        finding.Rule.Should().BeNull();
    }

    [Fact]
    public void A_same_named_table_NatTable_did_not_make_is_an_error_and_nothing_else_is_examined()
    {
        DoctorFinding finding = TableNotOwned();
        finding.Code.Should().Be(DoctorCodes.TableNotOwned);
        finding.Severity.Should().Be(DoctorSeverity.Error);
        finding.Problem.Should().StartWith("table inet t exists but was not made by NatTable (it has no comment");
        finding.Fix.Should().Be("Use another table name: new NatTable(\"OTHER\"); or, if nothing needs the existing table, delete it: nft delete table inet t.");
    }

    /// <summary>The finding for a table named t that NatTable did not make (also shown as nfnet writes it: Cli/FixCommandsTests).</summary>
    internal static DoctorFinding TableNotOwned()
    {
        var ruleset = new Ruleset(1, new List<Table> { new(NetfilterFamily.Inet, "t") }, new List<Chain>(), new List<Set>(),
            new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>(), new List<Rule>());
        return Diagnose(ruleset).Should().ContainSingle().Subject;
    }

    [Fact]
    public void A_layout_1_table_is_reported_as_information_and_its_rules_are_examined()
    {
        Ruleset ruleset = new NatSnapshot("t", comment: "nfnet NAT table t", rules: Forward).Build();
        IReadOnlyList<DoctorFinding> findings = Diagnose(ruleset);
        findings.Should().ContainSingle(f => f.Code == DoctorCodes.TableDrift).Which.Severity.Should().Be(DoctorSeverity.Info);
    }

    [Fact]
    public void A_table_as_NatTable_writes_it_has_no_drift()
    {
        Diagnose(new NatSnapshot("t", rules: Forward).Build()).Should().NotContain(f => f.Code == DoctorCodes.TableDrift || f.Code == DoctorCodes.TableNotOwned);
    }
}
