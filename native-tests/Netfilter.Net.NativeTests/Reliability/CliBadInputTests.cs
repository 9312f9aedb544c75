using Netfilter.Net.Reliability;
using Xunit.Abstractions;

namespace Netfilter.Net.NativeTests.Reliability;

/// <summary>
/// The command-line bad-input suite (issue 15), NAT rule options: each case of
/// <see cref="CliBadInputCases.NatRules"/> runs nfnet (the NativeAOT binary when NFNET_EXE is
/// set) in a namespace holding typed rules and a foreign table, and checks the exit code, one
/// "nfnet: " line on stderr that names the option and quotes at most a bounded part of the value,
/// no stack trace and no .NET type name, nothing on stdout, and the namespace unchanged byte for
/// byte (nft list ruleset, the library's own dump, the sysctls). Cases share the namespace, so the
/// group costs one namespace; the other group (<see cref="CliBadInputCommandTests"/>) runs beside it.
/// </summary>
public sealed class CliBadInputNatRuleTests : IClassFixture<CliBadInputNatRuleTests.Group>
{
    private readonly Group _fixture;

    public CliBadInputNatRuleTests(Group fixture) => _fixture = fixture;

    /// <summary>The namespace of this group, and its cases.</summary>
    public sealed class Group : BadInputNamespace
    {
        public override IReadOnlyList<CliCase> Cases => CliBadInputCases.NatRules;
    }

    public static IEnumerable<object?[]> Cases() => CliBadInputCases.NatRules.Select(c => new object?[] { c.Id, c.Pending });

    [NativeCaseTheory]
    [MemberData(nameof(Cases))]
    public void Refused_with_one_line_naming_the_option_and_nothing_changed(string id, string? pending)
    {
        _ = pending; // a pending row is skipped by the case theory; here it is null
        _fixture.Verify(id);
    }
}

/// <summary>The command-line bad-input suite, everything but the NAT rules' options (<see cref="CliBadInputCases.Commands"/>): the same checks.</summary>
public sealed class CliBadInputCommandTests : IClassFixture<CliBadInputCommandTests.Group>
{
    private readonly Group _fixture;

    public CliBadInputCommandTests(Group fixture) => _fixture = fixture;

    /// <summary>The namespace of this group, and its cases.</summary>
    public sealed class Group : BadInputNamespace
    {
        public override IReadOnlyList<CliCase> Cases => CliBadInputCases.Commands;
    }

    public static IEnumerable<object?[]> Cases() => CliBadInputCases.Commands.Select(c => new object?[] { c.Id, c.Pending });

    [NativeCaseTheory]
    [MemberData(nameof(Cases))]
    public void Refused_with_one_line_naming_the_parameter_and_nothing_changed(string id, string? pending)
    {
        _ = pending; // a pending row is skipped by the case theory; here it is null
        _fixture.Verify(id);
    }
}

/// <summary>The table itself: large enough, ids unique, every kind of parameter the issue names present.</summary>
public sealed class CliBadInputTableTests
{
    private readonly ITestOutputHelper _output;

    public CliBadInputTableTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void The_table_covers_every_parameter_kind_with_unique_ids()
    {
        List<CliCase> all = CliBadInputCases.NatRules.Concat(CliBadInputCases.Commands).ToList();
        all.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        all.Count.Should().BeGreaterThanOrEqualTo(250);
        foreach (string kind in new[] { "-port-", "-proto-", "-to-", "-source-", "-iif-", "-oif-", "-table-", "-mark-", "netns-", "sysctl-key-", "sysctl-value-", "conntrack-", "restore-", "format-", "unknown-" })
        {
            all.Should().Contain(c => c.Id.Contains(kind, StringComparison.Ordinal), kind);
        }
        foreach (IGrouping<string, CliCase> pending in all.Where(c => c.Pending is not null).GroupBy(c => c.Pending!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"pending {pending.Key}: {pending.Count()} ({string.Join(", ", pending.Select(c => c.Id))})");
        }
        _output.WriteLine($"{all.Count} cases, {all.Count(c => c.Pending is null)} active, {all.Count(c => c.Pending is not null)} pending");
    }
}
