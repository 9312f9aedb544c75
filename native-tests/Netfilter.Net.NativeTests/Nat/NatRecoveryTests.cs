using System.Net;
using System.Text.Json;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sysctl;
using Netfilter.Net.Cli.Output;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// Issue 9 item 5 and issue 15 D13, D14: the kernel is the truth. A table deleted or edited by
/// hand is repaired by the next change; pieces added by hand show in list, InspectAsync and the
/// doctor, and ApplyAsync removes them; a same-named table someone else made is never adopted; a
/// table in an earlier layout (1, or 2 before counters) is migrated in one transaction.
/// </summary>
public sealed class NatRecoveryTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    private static DnatRule Forward(int port) => new(TransportProtocol.Tcp, PortRange.Single(port), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true);

    private static Task<IReadOnlyList<DoctorFinding>> DoctorAsync(TestNamespace ns, string table) =>
        Doctor.RunAsync(new DoctorOptions { Namespace = ns.Namespace, Table = table });

    [NativeFact]
    public async Task A_long_lived_NatTable_recreates_a_table_deleted_or_edited_with_nft()
    {
        using var ns = new TestNamespace();
        using var nat = new NatTable("rec", new NatTableOptions { Namespace = ns.Namespace });
        await nat.AddAsync(Forward(2222));

        ns.Nft("delete", "table", "inet", "rec");
        (await nat.RemoveAsync(Forward(2222))).Should().BeNull("the table is gone, so is the rule: no ENOENT");
        (await nat.ListAsync()).Should().BeEmpty();
        (await nat.AddAsync(Forward(2223))).Should().BeTrue("the next change recreates the table and its layout");
        ns.Nft("list", "table", "inet", "rec").Should().Contain("comment \"nfnet NAT table rec layout 3\"");
        (await nat.InspectAsync()).IsIntact.Should().BeTrue();

        ns.Nft("flush", "chain", "inet", "rec", "postrouting");
        ns.Nft("delete", "chain", "inet", "rec", "post_forward");
        NatTableReport damaged = await nat.InspectAsync();
        damaged.LayoutProblems.Should().Contain("chain post_forward is missing").And.Contain("rule \"masquerade @masq4\" in chain postrouting is missing or changed");
        (await nat.AddAsync(Forward(2224))).Should().BeTrue();
        (await nat.InspectAsync()).IsIntact.Should().BeTrue("the add put back the chain and the layout rules in its transaction");
        (await nat.ListAsync()).Select(r => r.ToString()).Should().BeEquivalentTo(Forward(2223).ToString(), Forward(2224).ToString());

        ns.Nft("delete", "table", "inet", "rec");
        (await nat.DeleteAsync()).Should().BeFalse();
        NatApplyResult applied = await nat.ApplyAsync(new NatRule[] { Forward(2222) });
        applied.LayoutRepaired.Should().Equal("created table inet rec (layout 3)");
    }

    [NativeFact]
    public async Task A_same_named_table_someone_else_made_is_never_adopted()
    {
        using var ns = new TestNamespace();
        ns.NftScript("table inet nfnet {\n chain input { type filter hook input priority 0; policy drop; }\n}\n");
        string before = ns.Nft("list", "ruleset");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = ns.Namespace });
        const string why = "table inet nfnet exists but was not made by NatTable (it has no comment, not \"nfnet NAT table nfnet layout 3\"; it holds chain input (type filter hook input priority 0; policy drop)): "
            + "it will not be adopted or changed. Choose another table name (the name a NatTable is created with), or delete that table (nft delete table inet nfnet) if nothing needs it";
        (await FluentActions.Awaiting(() => nat.AddAsync(Forward(2222))).Should().ThrowAsync<NatTableNotOwnedException>()).Which.Message.Should().Be(why);
        await FluentActions.Awaiting(() => nat.RemoveAsync(Forward(2222))).Should().ThrowAsync<NatTableNotOwnedException>();
        await FluentActions.Awaiting(() => nat.ApplyAsync(new NatRule[] { Forward(2222) })).Should().ThrowAsync<NatTableNotOwnedException>();
        await FluentActions.Awaiting(() => nat.DeleteAsync()).Should().ThrowAsync<NatTableNotOwnedException>();
        await FluentActions.Awaiting(() => nat.ListAsync()).Should().ThrowAsync<NatTableNotOwnedException>();
        (await nat.InspectAsync()).Ownership.Should().Be(NatTableOwnership.Foreign);

        Nfnet.In(ns, "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22").ShouldFail(1)[0].Should().Be("nfnet: " + why);
        Nfnet.In(ns, "list").ShouldFail(1)[0].Should().Be("nfnet: " + why);
        ns.Nft("list", "ruleset").Should().Be(before, "nothing was changed");

        DoctorFinding finding = (await DoctorAsync(ns, "nfnet")).Should().ContainSingle(f => f.Code == DoctorCodes.TableNotOwned).Subject;
        finding.Severity.Should().Be(DoctorSeverity.Error);
        finding.Problem.Should().StartWith("table inet nfnet exists but was not made by NatTable");
        FixCommands.Render(finding).Should().Contain($"--table OTHER --netns {ns.Name}").And.Contain("nft delete table inet nfnet");
    }

    [NativeFact]
    public async Task An_element_added_by_hand_shows_in_list_inspect_and_the_doctor_and_apply_removes_it()
    {
        using var topo = new Topology(serverRoutesViaRouter: true);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { Forward(2222) });
        topo.Router.Nft("add", "element", "inet", "nfnet", "dnat4_pre", "{ tcp . 4444 : 10.0.2.2 . 22 }");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 4444)).Should().StartWith("server ", "the hand-added element forwards traffic");
        const string foreign = "element tcp . 4444 : 10.0.2.2 . 22 in map dnat4_pre (no comment)";

        (await nat.ListAsync()).Should().Equal(Forward(2222));
        NatTableReport report = await nat.InspectAsync();
        report.Foreign.Should().Equal(foreign);
        report.IsIntact.Should().BeFalse();
        Nfnet.In(topo.Router, "list").StandardOutput.Should().Be($"dnat tcp 2222 to 10.0.2.2:22 masquerade\n# foreign: {foreign}\n");
        JsonElement json = Nfnet.Json(Nfnet.In(topo.Router, "list", "--json"));
        json.GetProperty("foreign").EnumerateArray().Select(e => e.GetString()).Should().Equal(foreign);
        json.GetProperty("partial").GetArrayLength().Should().Be(0);
        DoctorFinding drift = (await DoctorAsync(topo.Router, "nfnet")).Should().ContainSingle(f => f.Code == DoctorCodes.TableDrift).Subject;
        drift.Severity.Should().Be(DoctorSeverity.Warning);
        drift.Problem.Should().Contain(foreign);

        await FluentActions.Awaiting(() => nat.AddAsync(new DnatRule(TransportProtocol.Tcp, PortRange.Single(4444), IPAddress.Parse("10.0.2.3"))))
            .Should().ThrowAsync<NatRuleConflictException>().WithMessage($"*a piece no typed rule accounts for ({foreign}) is there and it claims tcp port 4444*");

        NatApplyResult applied = await nat.ApplyAsync(new NatRule[] { Forward(2222) });
        applied.ForeignRemoved.Should().Equal(foreign);
        applied.Changed.Should().BeTrue();
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 4444)).Should().BeNull("apply holds exactly the rules it was given");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server ");
        (await nat.InspectAsync()).IsIntact.Should().BeTrue();
        (await DoctorAsync(topo.Router, "nfnet")).Should().NotContain(f => f.Code == DoctorCodes.TableDrift);
    }

    [NativeFact]
    public async Task A_partial_rule_is_left_out_of_list_shown_by_inspect_and_made_whole_by_add()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.AddAsync(Forward(2222));
        topo.Router.Nft("delete", "element", "inet", "nfnet", "masq4", "{ tcp . 2222 . 10.0.2.2 . 22 }");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull("without its masquerade the forward's replies are lost");

        (await nat.ListAsync()).Should().BeEmpty("list shows only whole rules");
        NatPartialRule partial = (await nat.InspectAsync()).Partial.Should().ContainSingle().Subject;
        partial.ToString().Should().Be("dnat tcp 2222 to 10.0.2.2:22 masquerade (missing element tcp . 2222 . 10.0.2.2 . 22 in set masq4)");
        Nfnet.In(topo.Router, "list").StandardOutput.Should().Be("# partial: dnat tcp 2222 to 10.0.2.2:22 masquerade (missing element tcp . 2222 . 10.0.2.2 . 22 in set masq4)\n");
        DoctorFinding drift = (await DoctorAsync(topo.Router, "nfnet")).Should().ContainSingle(f => f.Code == DoctorCodes.TableDrift).Subject;
        drift.Rule.Should().Be(Forward(2222).ToString());
        FixCommands.Render(drift).Should().Contain($"nfnet forward add --proto tcp --port 2222 --to 10.0.2.2:22 --masquerade --netns {topo.Router.Name}");

        (await nat.AddAsync(Forward(2222))).Should().BeTrue("the partial copy was made whole");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:");
        (await nat.InspectAsync()).IsIntact.Should().BeTrue();

        topo.Router.Nft("delete", "element", "inet", "nfnet", "masq4", "{ tcp . 2222 . 10.0.2.2 . 22 }");
        (await nat.RemoveAsync(Forward(2222))).Should().Be(Forward(2222), "a partial rule is removed with whatever of it is there");
        NatTableReport after = await nat.InspectAsync();
        after.IsIntact.Should().BeTrue();
        after.Rules.Should().BeEmpty();
    }

    [NativeFact]
    public async Task A_layout_1_table_is_migrated_in_one_transaction_and_its_forwards_own_their_return_paths()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var proxy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8080), "proxy");
        topo.Router.NftScript(LayoutOneTable.Script("old"));
        using var nat = new NatTable("old", new NatTableOptions { Namespace = topo.Router.Namespace });
        NatTableReport legacy = await nat.InspectAsync();
        legacy.Ownership.Should().Be(NatTableOwnership.Legacy);
        legacy.LayoutVersion.Should().Be(1);
        legacy.Rules.Select(r => r.ToString()).Should().BeEquivalentTo(LayoutOneTable.Rules);

        uint before;
        using (var client = new NfTablesClient(topo.Router.Namespace))
        {
            before = (await client.GetGenerationAsync()).Id;
        }
        var added = new DnatRule(TransportProtocol.Udp, PortRange.Single(53), IPAddress.Parse("10.0.2.2"));
        (await nat.AddAsync(added)).Should().BeTrue();
        using (var client = new NfTablesClient(topo.Router.Namespace))
        {
            (await client.GetGenerationAsync()).Id.Should().Be(before + 1, "the migration and the add are one transaction");
        }
        NatTableReport migrated = await nat.InspectAsync();
        migrated.Ownership.Should().Be(NatTableOwnership.Owned);
        migrated.IsIntact.Should().BeTrue(migrated.ToString());
        migrated.Rules.Select(r => r.ToString()).Should().BeEquivalentTo(LayoutOneTable.Rules.Append(added.ToString()));
        topo.Router.Nft("list", "table", "inet", "old").Should().Contain("comment \"nfnet NAT table old layout 3\"");

        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2223)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 3000)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().StartWith("proxy local=10.0.1.1:8080 ");
        await nat.RemoveAsync(Forward(2222));
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2223)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:", "after migration each forward owns its masquerade");
    }
    [NativeFact]
    public async Task A_layout_2_table_is_migrated_to_layout_3_in_one_transaction_with_its_rules_and_no_gap_in_the_packet_path()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var proxy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8080), "proxy");
        NatRule[] rules =
        {
            NatRuleParser.Parse("dnat tcp 2222 to 10.0.2.2:22 masquerade"),
            NatRuleParser.Parse("dnat tcp 3000 to 10.0.2.2:22 from 10.0.1.0/24 masquerade"),
            NatRuleParser.Parse("redirect tcp 80 to 8080"),
            NatRuleParser.Parse("snat oif wan to 10.0.2.1"),
            NatRuleParser.Parse("tproxy tcp 443 to :8443 mark 0x1"),
        };
        await LayoutTwoTable.WriteAsync(topo.Router, "old", rules);
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:", "the layout-2 table forwards");

        // Connections through a map forward and a rule-based forward run all through the migration.
        // The test hook holds the commit until some have gone through the layout-2 table; the loop
        // goes on until as many have gone through the layout-3 one (bounded in count and time).
        var results = new System.Collections.Concurrent.ConcurrentQueue<(int Port, string? Banner, bool Migrated)>();
        bool migrated = false;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task loop = Task.Run(() =>
        {
            for (int i = 0; i < 2000 && !stop.IsCancellationRequested; i++)
            {
                bool after = Volatile.Read(ref migrated);
                int port = i % 2 == 0 ? 2222 : 3000;
                results.Enqueue((port, Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", port)), after));
                if (after && results.Count(r => r.Migrated) >= 10)
                {
                    return;
                }
            }
        });
        using var nat = new NatTable("old", new NatTableOptions
        {
            Namespace = topo.Router.Namespace,
            FlushConntrackOnChange = false,
            BeforeCommit = async ct =>
            {
                for (int wait = 0; wait < 300 && results.Count < 10; wait++)
                {
                    await Task.Delay(20, ct);
                }
            },
        });
        NatTableReport legacy = await nat.InspectAsync();
        legacy.Ownership.Should().Be(NatTableOwnership.Legacy);
        legacy.LayoutVersion.Should().Be(2);
        legacy.Rules.Select(r => r.ToString()).Should().BeEquivalentTo(rules.Select(r => r.ToString()));
        legacy.Statistics.Should().OnlyContain(s => s.Packets == null, "layout 2 counted nothing");

        uint before;
        using (var client = new NfTablesClient(topo.Router.Namespace))
        {
            before = (await client.GetGenerationAsync()).Id;
        }
        NatApplyResult applied = await nat.ApplyAsync(rules);
        Volatile.Write(ref migrated, true);
        applied.LayoutRepaired.Should().Equal("migrated table inet old from layout 2 to layout 3");
        using (var client = new NfTablesClient(topo.Router.Namespace))
        {
            (await client.GetGenerationAsync()).Id.Should().Be(before + 1, "the migration is one transaction");
        }
        await loop;
        results.Count(r => !r.Migrated).Should().BeGreaterThanOrEqualTo(10, "connections went through the layout-2 table while the migration was read and prepared");
        results.Count(r => r.Migrated).Should().BeGreaterThanOrEqualTo(10);
        results.Where(r => r.Banner is null || !r.Banner.StartsWith("server local=10.0.2.2:22 remote=10.0.2.1:", StringComparison.Ordinal))
            .Should().BeEmpty("every connection, before, during and after the commit, was forwarded");

        NatTableReport report = await nat.InspectAsync();
        report.Ownership.Should().Be(NatTableOwnership.Owned);
        report.LayoutVersion.Should().Be(3);
        report.IsIntact.Should().BeTrue(report.ToString());
        report.Rules.Select(r => r.ToString()).Should().BeEquivalentTo(rules.Select(r => r.ToString()));
        string listing = topo.Router.Nft("list", "table", "inet", "old");
        listing.Should().Contain("comment \"nfnet NAT table old layout 3\"").And.Contain("counter packets")
            .And.Contain("chain tproxy_rules {").And.NotContain("chain tproxy {", "layout 3 renamed the chain nft could not parse back");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().StartWith("proxy local=10.0.1.1:8080 ");
        (await nat.ApplyAsync(rules)).Changed.Should().BeFalse("the migrated table holds exactly these rules");
    }
}
