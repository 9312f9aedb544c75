using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Contract;

/// <summary>
/// NAT tables, against the fake and the kernel alike: the same sequences of add, remove, apply,
/// list, inspect and delete give the same results, field by field, and the same exceptions.
/// </summary>
public abstract class NatContract
{
    private const string Table = "ct_nat";
    private static readonly IPAddress Server = IPAddress.Parse("10.0.2.2");
    private static readonly DnatRule Forward = new(TransportProtocol.Tcp, 2222, Server, 22, masquerade: true);
    private static readonly RedirectRule Redirect = new(TransportProtocol.Tcp, 80, 8080);

    protected abstract ContractKernel CreateKernel();

    private static string[] Texts(IEnumerable<NatRule> rules) => rules.Select(r => r.ToString()).ToArray();

    [ContractFact]
    public async Task Adding_a_rule_makes_it_listed_and_adding_it_again_changes_nothing()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);

        (await table.AddAsync(Forward)).Should().BeTrue();
        (await table.AddAsync(Forward)).Should().BeFalse();
        Texts(await table.ListAsync()).Should().Equal(Forward.ToString());
        table.Name.Should().Be(Table);
    }

    [ContractFact]
    public async Task Applying_into_a_missing_table_creates_it_and_reports_every_field()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);

        NatApplyResult result = await table.ApplyAsync(new NatRule[] { Forward, Redirect });

        Texts(result.Added).Should().Equal(Forward.ToString(), Redirect.ToString());
        result.Removed.Should().BeEmpty();
        result.Repaired.Should().BeEmpty();
        result.ForeignRemoved.Should().BeEmpty();
        result.LayoutRepaired.Should().Equal($"created table inet {Table} (layout 3)");
        result.Unchanged.Should().Be(0);
        result.Changed.Should().BeTrue();
        result.Attempts.Should().Be(1);
        result.Warnings.Select(w => kernel.Normalize(w.Message)).Should().Equal(
            $"'{Forward}' forwards to another host but IPv4 forwarding is off in NS: nothing will pass. Enable it with Forwarding.Enable(NetfilterFamily.IPv4, ns).");
        result.Warnings.Should().Equal(new NatWarning(NatWarningKind.ForwardingOff, Forward, result.Warnings[0].Message) { Family = NetfilterFamily.IPv4 });
        result.ToString().Should().Be("added 2, removed 0, repaired 0, foreign removed 0, unchanged 0 (1 attempt); table: created table inet ct_nat (layout 3); 1 warning");
        Texts(await table.ListAsync()).Should().BeEquivalentTo(Forward.ToString(), Redirect.ToString());
    }

    [ContractFact]
    public async Task Applying_the_same_rules_again_sends_nothing()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.ApplyAsync(new NatRule[] { Forward, Redirect });

        NatApplyResult again = await table.ApplyAsync(new NatRule[] { Redirect, Forward, Redirect });

        again.Added.Should().BeEmpty();
        again.Removed.Should().BeEmpty();
        again.Repaired.Should().BeEmpty();
        again.LayoutRepaired.Should().BeEmpty();
        again.Unchanged.Should().Be(2);
        again.Changed.Should().BeFalse();
        again.Attempts.Should().Be(1);
        again.ToString().Should().Be("added 0, removed 0, repaired 0, foreign removed 0, unchanged 2 (1 attempt, nothing sent); 1 warning");
    }

    [ContractFact]
    public async Task Applying_a_rule_with_other_options_replaces_it()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.ApplyAsync(new NatRule[] { Forward, Redirect });
        var moved = new DnatRule(TransportProtocol.Tcp, 2222, IPAddress.Parse("10.0.2.3"), 22);

        NatApplyResult result = await table.ApplyAsync(new NatRule[] { moved, Redirect });

        Texts(result.Added).Should().Equal(moved.ToString());
        Texts(result.Removed).Should().Equal(Forward.ToString());
        result.Unchanged.Should().Be(1);
        result.Changed.Should().BeTrue();
        Texts(await table.ListAsync()).Should().BeEquivalentTo(moved.ToString(), Redirect.ToString());
    }

    [ContractFact]
    public async Task Applying_nothing_empties_the_table_and_keeps_it()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.ApplyAsync(new NatRule[] { Forward, Redirect });

        NatApplyResult result = await table.ApplyAsync(Array.Empty<NatRule>());

        Texts(result.Removed).Should().BeEquivalentTo(Forward.ToString(), Redirect.ToString());
        result.Warnings.Should().BeEmpty();
        (await table.ListAsync()).Should().BeEmpty();
        NatTableReport report = await table.InspectAsync();
        report.Ownership.Should().Be(NatTableOwnership.Owned);
        report.IsIntact.Should().BeTrue();
        report.LayoutVersion.Should().Be(3);
    }

    [ContractFact]
    public async Task Removing_by_identity_returns_the_rule_as_the_table_holds_it()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.AddAsync(Forward);

        NatRule? removed = await table.RemoveAsync(new DnatRule(TransportProtocol.Tcp, 2222, IPAddress.Parse("10.0.2.9"), 2200));

        removed!.ToString().Should().Be(Forward.ToString());
        (await table.ListAsync()).Should().BeEmpty();
        (await table.RemoveAsync(Forward)).Should().BeNull();
    }

    [ContractFact]
    public async Task Removing_a_rule_that_is_not_there_while_another_holds_its_packets_throws_and_removes_nothing()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.AddAsync(Forward);
        var other = new RedirectRule(TransportProtocol.Tcp, 2222, 8080);

        NatRuleConflictException e = (await FluentActions.Awaiting(() => table.RemoveAsync(other)).Should().ThrowAsync<NatRuleConflictException>()).Which;

        e.Message.Should().Be($"table inet {Table} holds no rule 'redirect tcp 2222 to 8080' (redirect ipv4+ipv6 tcp 2222): '{Forward}' is there and it claims tcp port 2222 of ipv4 connections (prerouting); nothing was removed");
        e.Holder!.ToString().Should().Be(Forward.ToString());
        e.Table.Should().Be(Table);
        Texts(await table.ListAsync()).Should().Equal(Forward.ToString());
    }

    [ContractFact]
    public async Task Adding_a_rule_that_claims_held_packets_throws_naming_the_holder()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.AddAsync(Forward);
        var other = new RedirectRule(TransportProtocol.Tcp, 2222, 8080);

        NatRuleConflictException e = (await FluentActions.Awaiting(() => table.AddAsync(other)).Should().ThrowAsync<NatRuleConflictException>()).Which;

        e.Message.Should().Be($"cannot add 'redirect tcp 2222 to 8080' to table inet {Table}: '{Forward}' is there and both claim tcp port 2222 of ipv4 connections (prerouting); remove it first");
        e.Holder!.ToString().Should().Be(Forward.ToString());
        e.HolderText.Should().Be($"'{Forward}'");
        e.Reason.Should().Be("both claim tcp port 2222 of ipv4 connections (prerouting)");
        Texts(await table.ListAsync()).Should().Equal(Forward.ToString());
    }

    [ContractFact]
    public async Task Adding_a_rule_of_the_same_identity_with_other_options_throws_and_points_at_apply()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.AddAsync(Forward);
        var moved = new DnatRule(TransportProtocol.Tcp, 2222, IPAddress.Parse("10.0.2.3"), 22);

        NatRuleConflictException e = (await FluentActions.Awaiting(() => table.AddAsync(moved)).Should().ThrowAsync<NatRuleConflictException>()).Which;

        e.Message.Should().Be($"cannot add '{moved}' to table inet {Table}: '{Forward}' is there and they have the same match (dnat ipv4 tcp 2222) with other options; remove it first (or replace it with ApplyAsync)");
    }

    [ContractFact]
    public async Task Applying_two_rules_that_claim_the_same_packets_is_refused_before_anything_is_sent()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        var other = new RedirectRule(TransportProtocol.Tcp, 2222, 8080);

        ArgumentException e = (await FluentActions.Awaiting(() => table.ApplyAsync(new NatRule[] { Forward, other })).Should().ThrowAsync<ArgumentException>()).Which;

        e.ParamName.Should().Be("desired");
        e.Message.Should().StartWith($"'{Forward}' and '{other}' cannot share a table: both claim tcp port 2222 of ipv4 connections (prerouting). Keep one");
        (await table.InspectAsync()).Ownership.Should().Be(NatTableOwnership.Missing);
    }

    [ContractFact]
    public async Task Deleting_the_table_removes_it_once()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        (await table.DeleteAsync()).Should().BeFalse();
        await table.AddAsync(Redirect);

        (await table.DeleteAsync()).Should().BeTrue();
        (await table.DeleteAsync()).Should().BeFalse();

        NatTableReport report = await table.InspectAsync();
        report.Ownership.Should().Be(NatTableOwnership.Missing);
        report.IsIntact.Should().BeTrue();
        report.Rules.Should().BeEmpty();
        report.LayoutVersion.Should().BeNull();
        report.ToString().Should().BeEmpty();
    }

    [ContractFact]
    public async Task A_table_deleted_under_a_long_lived_table_is_recreated_by_its_next_change()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable first = kernel.Tables.Open(Table);
        using INatTable second = kernel.Tables.Open(Table);
        await first.AddAsync(Redirect);
        await second.DeleteAsync();

        (await first.AddAsync(Forward)).Should().BeTrue();

        Texts(await first.ListAsync()).Should().Equal(Forward.ToString());
        (await first.InspectAsync()).IsIntact.Should().BeTrue();
    }

    [ContractFact]
    public async Task A_table_of_the_same_name_made_by_someone_else_is_never_adopted()
    {
        using ContractKernel kernel = CreateKernel();
        await kernel.CommitByHandAsync(new NfTablesTransaction()
            .AddTable(new Table(NetfilterFamily.Inet, Table))
            .AddChain(new Chain(NetfilterFamily.Inet, Table, "mine")));
        using INatTable table = kernel.Tables.Open(Table);
        string expected = $"table inet {Table} exists but was not made by NatTable (it has no comment, not \"nfnet NAT table {Table} layout 3\"; it holds chain mine): "
            + $"it will not be adopted or changed. Choose another table name (the name a NatTable is created with), or delete that table (nft delete table inet {Table}) if nothing needs it";

        (await FluentActions.Awaiting(() => table.AddAsync(Forward)).Should().ThrowAsync<NatTableNotOwnedException>()).Which.Message.Should().Be(expected);
        await FluentActions.Awaiting(() => table.ListAsync()).Should().ThrowAsync<NatTableNotOwnedException>();
        await FluentActions.Awaiting(() => table.DeleteAsync()).Should().ThrowAsync<NatTableNotOwnedException>();
        await FluentActions.Awaiting(() => table.ApplyAsync(Array.Empty<NatRule>())).Should().ThrowAsync<NatTableNotOwnedException>();
        NatTableReport report = await table.InspectAsync();
        report.Ownership.Should().Be(NatTableOwnership.Foreign);
        report.NotOwnedReason.Should().Be(expected);
        report.IsIntact.Should().BeFalse();
    }

    [ContractFact]
    public async Task An_element_added_by_hand_is_foreign_blocks_its_packets_and_is_removed_by_apply()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.ApplyAsync(new NatRule[] { Forward });
        var handmade = new SetElement(NftData.Concat(NftData.FromByte(6), NftData.FromPort(3333)))
        {
            Data = NftData.Concat(NftData.FromIPAddress(IPAddress.Parse("10.0.2.5")), NftData.FromPort(22)),
        };
        await kernel.CommitByHandAsync(new NfTablesTransaction().AddElements(new Set(NetfilterFamily.Inet, Table, "dnat4_pre"), new[] { handmade }));

        NatTableReport report = await table.InspectAsync();
        report.Foreign.Should().Equal("element tcp . 3333 : 10.0.2.5 . 22 in map dnat4_pre (no comment)");
        report.IsIntact.Should().BeFalse();
        Texts(report.Rules).Should().Equal(Forward.ToString());
        report.ToString().Should().Be($"{Forward}\n# foreign: element tcp . 3333 : 10.0.2.5 . 22 in map dnat4_pre (no comment)\n");

        var blocked = new DnatRule(TransportProtocol.Tcp, 3333, Server, 22);
        NatRuleConflictException e = (await FluentActions.Awaiting(() => table.AddAsync(blocked)).Should().ThrowAsync<NatRuleConflictException>()).Which;
        e.Holder.Should().BeNull();
        e.HolderText.Should().Be("a piece no typed rule accounts for (element tcp . 3333 : 10.0.2.5 . 22 in map dnat4_pre (no comment))");

        NatApplyResult result = await table.ApplyAsync(new NatRule[] { Forward });
        result.ForeignRemoved.Should().Equal("element tcp . 3333 : 10.0.2.5 . 22 in map dnat4_pre (no comment)");
        result.Unchanged.Should().Be(1);
        result.Changed.Should().BeTrue();
        (await table.InspectAsync()).IsIntact.Should().BeTrue();
    }

    [ContractFact]
    public async Task A_rule_missing_a_piece_is_partial_and_apply_makes_it_whole()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.ApplyAsync(new NatRule[] { Forward, Redirect });
        var masquerade = new SetElement(NftData.Concat(NftData.FromByte(6), NftData.FromPort(2222), NftData.FromIPAddress(Server), NftData.FromPort(22)));
        await kernel.CommitByHandAsync(new NfTablesTransaction().DeleteElements(new Set(NetfilterFamily.Inet, Table, "masq4"), new[] { masquerade }));

        NatTableReport report = await table.InspectAsync();
        Texts(report.Rules).Should().Equal(Redirect.ToString());
        report.Partial.Should().ContainSingle();
        report.Partial[0].Rule.ToString().Should().Be(Forward.ToString());
        report.Partial[0].Problems.Should().Equal("missing element tcp . 2222 . 10.0.2.2 . 22 in set masq4");
        report.Partial[0].ToString().Should().Be($"{Forward} (missing element tcp . 2222 . 10.0.2.2 . 22 in set masq4)");

        NatApplyResult result = await table.ApplyAsync(new NatRule[] { Forward, Redirect });
        Texts(result.Repaired).Should().Equal(Forward.ToString());
        result.Added.Should().BeEmpty();
        result.Unchanged.Should().Be(1);
        (await table.InspectAsync()).IsIntact.Should().BeTrue();
    }

    [ContractFact]
    public async Task Adding_a_rule_to_a_table_whose_layout_was_flushed_by_hand_repairs_the_layout()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.AddAsync(Redirect);
        await kernel.CommitByHandAsync(new NfTablesTransaction().FlushChain(NetfilterFamily.Inet, Table, "prerouting"));

        NatTableReport broken = await table.InspectAsync();
        broken.LayoutProblems.Should().NotBeEmpty();
        broken.LayoutProblems.Should().OnlyContain(p => p.EndsWith(" in chain prerouting is missing or changed", StringComparison.Ordinal));

        (await table.AddAsync(Forward)).Should().BeTrue();
        NatTableReport repaired = await table.InspectAsync();
        repaired.IsIntact.Should().BeTrue();
        Texts(repaired.Rules).Should().BeEquivalentTo(Forward.ToString(), Redirect.ToString());
    }

    [ContractFact]
    public async Task A_change_that_loses_the_generation_race_reads_again_and_counts_its_attempts()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.OpenTableLosingRaces(Table, lostRaces: 2);

        NatApplyResult result = await table.ApplyAsync(new NatRule[] { Forward });

        result.Attempts.Should().Be(3);
        Texts(result.Added).Should().Equal(Forward.ToString());
        result.ToString().Should().StartWith("added 1, removed 0, repaired 0, foreign removed 0, unchanged 0 (3 attempts)");
        Texts(await table.ListAsync()).Should().Equal(Forward.ToString());
    }

    [ContractFact]
    public async Task Adding_and_removing_retry_a_lost_generation_race_too()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.OpenTableLosingRaces(Table, lostRaces: 2);

        (await table.AddAsync(Redirect)).Should().BeTrue();
        (await table.RemoveAsync(Redirect))!.ToString().Should().Be(Redirect.ToString());
        (await table.ListAsync()).Should().BeEmpty();
    }

    [ContractFact]
    public async Task A_change_that_loses_more_races_than_it_may_attempt_fails_and_applies_nothing()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.OpenTableLosingRaces(Table, lostRaces: 2, new NatTableOptions { ApplyAttempts = 2 });

        NfTablesGenerationException e = (await FluentActions.Awaiting(() => table.ApplyAsync(new NatRule[] { Forward })).Should().ThrowAsync<NfTablesGenerationException>()).Which;

        e.Errno.Should().Be(Errno.ERESTART);
        e.OperationIndex.Should().Be(-1);
        e.Message.Should().StartWith("nftables transaction failed: ERESTART");
        e.Message.Should().Contain("the ruleset is no longer at generation");
        (await table.InspectAsync()).Ownership.Should().Be(NatTableOwnership.Missing);
    }

    [ContractFact]
    public async Task A_table_owned_by_its_process_goes_when_its_owner_is_disposed_and_refuses_other_writers()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable other = kernel.Tables.Open(Table);
        INatTable owner = kernel.Tables.Open(Table, new NatTableOptions { Lifetime = NatTableLifetime.OwnedByProcess });
        await owner.AddAsync(Redirect);
        Texts(await other.ListAsync()).Should().Equal(Redirect.ToString());

        NfTablesException e = (await FluentActions.Awaiting(() => other.AddAsync(Forward)).Should().ThrowAsync<NfTablesException>()).Which;
        e.Errno.Should().Be(Errno.EPERM);
        e.OperationIndex.Should().Be(0);
        e.OperationDescription.Should().StartWith("add ");
        Texts(await other.ListAsync()).Should().Equal(Redirect.ToString());

        owner.Dispose();
        (await other.InspectAsync()).Ownership.Should().Be(NatTableOwnership.Missing);
    }

    [ContractFact]
    public async Task A_hairpin_forward_needs_a_network_this_host_is_attached_to()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        var hairpin = new DnatRule(TransportProtocol.Tcp, 443, Server, hairpin: true);

        InvalidOperationException e = (await FluentActions.Awaiting(() => table.AddAsync(hairpin)).Should().ThrowAsync<InvalidOperationException>()).Which;
        e.Message.Should().Contain("10.0.2.2");
        (await table.InspectAsync()).Ownership.Should().Be(NatTableOwnership.Missing);

        kernel.AddInterface("lan0", "10.0.2.1/24");
        (await table.AddAsync(hairpin)).Should().BeTrue();
        NatTableReport report = await table.InspectAsync();
        Texts(report.Rules).Should().Equal(hairpin.ToString());
        report.Stale.Should().BeEmpty();
        report.IsIntact.Should().BeTrue();
    }

    [ContractFact]
    public async Task A_forward_to_this_host_or_with_forwarding_on_gives_no_warning()
    {
        using ContractKernel kernel = CreateKernel();
        kernel.AddInterface("lan0", "10.0.2.1/24");
        using INatTable table = kernel.Tables.Open(Table);
        var local = new DnatRule(TransportProtocol.Tcp, 2223, IPAddress.Parse("10.0.2.1"), 22);

        (await table.ApplyAsync(new NatRule[] { local })).Warnings.Should().BeEmpty();
        (await table.ApplyAsync(new NatRule[] { local, Forward })).Warnings.Should().ContainSingle();
        kernel.Sysctl.Write(Sysctl.SysctlKey.IPv4Forward, "1");
        (await table.ApplyAsync(new NatRule[] { local, Forward })).Warnings.Should().BeEmpty();
    }

    [ContractFact]
    public async Task A_forward_to_loopback_warns_about_route_localnet()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        var loopback = new DnatRule(TransportProtocol.Tcp, 8080, IPAddress.Parse("127.0.0.1"), 80);

        NatApplyResult result = await table.ApplyAsync(new NatRule[] { loopback });

        result.Warnings.Select(w => kernel.Normalize(w.Message)).Should().Equal(
            $"'{loopback}' sends to a loopback address, which the kernel drops for packets from other hosts while net.ipv4.conf.all.route_localnet is 0 in NS. RouteLocalnet can enable it, but read its CVE-2020-8558 warning first; a REDIRECT to a local port is usually the better choice.");
    }

    [ContractFact]
    public async Task IPv6_forwards_port_ranges_and_outbound_nat_share_a_table()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        NatRule[] rules =
        {
            new DnatRule(TransportProtocol.Both, 2222, IPAddress.Parse("2001:db8::10"), 22, masquerade: true),
            new DnatRule(TransportProtocol.Udp, new PortRange(6000, 6010), Server, new PortRange(6000, 6010)),
            new RedirectRule(TransportProtocol.Tcp, 8443, 443, includeLocal: true),
            new MasqueradeRule("wan0", new[] { IPNetwork.Parse("192.168.1.0/24") }),
            new SnatRule(IPAddress.Parse("203.0.113.1"), outputInterface: "wan1"),
            new TproxyRule(TransportProtocol.Tcp, 3128, 3129, mark: 1),
        };

        NatApplyResult result = await table.ApplyAsync(rules);

        Texts(result.Added).Should().Equal(Texts(rules));
        Texts(await table.ListAsync()).Should().BeEquivalentTo(Texts(rules));
        (await table.InspectAsync()).IsIntact.Should().BeTrue();
        (await table.ApplyAsync(rules)).Changed.Should().BeFalse();
        (await table.RemoveAsync(new MasqueradeRule("wan0", new[] { IPNetwork.Parse("192.168.1.0/24") }, random: true)))!.ToString().Should().Be(rules[3].ToString());
        Texts(await table.ListAsync()).Should().HaveCount(5);
    }

    [ContractFact]
    public async Task A_bad_table_name_is_refused_before_anything_is_sent()
    {
        using ContractKernel kernel = CreateKernel();

        FluentActions.Invoking(() => kernel.Tables.Open("no spaces")).Should().Throw<ArgumentException>().WithParameterName("name");
        FluentActions.Invoking(() => kernel.Tables.Open(new string('x', 65))).Should().Throw<ArgumentException>().WithParameterName("name");
    }
}
