using Xunit.Abstractions;
using Xunit.Sdk;

namespace Netfilter.Net.Reliability;

/// <summary>
/// A theory over a table of cases (the bad-input suites) whose last parameter is the case's
/// pending marker: null for a case that must pass now, or the defect whose fix another branch
/// brings ("D8"). A pending row is reported as skipped, with the defect as the reason, so the
/// table holds every case and the run says which wait for which fix; lifting the marker after
/// the merge makes the case run. The rows must be serializable (an id and the marker), so each
/// case is its own test in the runner's list.
/// </summary>
/// <remarks>This file is compiled into both test projects (native-tests links it); each names its own assembly in <see cref="AssemblyName"/>.</remarks>
[XunitTestCaseDiscoverer("Netfilter.Net.Reliability.CaseTheoryDiscoverer", AssemblyName)]
public partial class CaseTheoryAttribute : TheoryAttribute
{
}

/// <summary>Discovers a <see cref="CaseTheoryAttribute"/> theory: rows whose last value is a pending marker are skipped with it as the reason.</summary>
public sealed class CaseTheoryDiscoverer : TheoryDiscoverer
{
    public CaseTheoryDiscoverer(IMessageSink diagnosticMessageSink)
        : base(diagnosticMessageSink)
    {
    }

    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow) =>
        dataRow.Length > 0 && dataRow[^1] is string { Length: > 0 } pending
            ? CreateTestCasesForSkippedDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow, $"pending {pending}: fixed on another branch; lift the marker once it is merged")
            : base.CreateTestCasesForDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow);
}
