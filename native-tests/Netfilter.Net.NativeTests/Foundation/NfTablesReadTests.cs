using System.Text.RegularExpressions;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Foundation;

/// <summary>First real use of the transport: NFT_MSG_GETGEN and NFT_MSG_GETTABLE against the kernel, checked with nft.</summary>
public sealed class NfTablesReadTests
{
    [NativeFact]
    public async Task Generation_moves_by_one_for_each_nft_transaction_and_is_stable_otherwise()
    {
        using var ns = new TestNamespace();
        using var client = new NfTablesClient(ns.Namespace);
        RulesetGeneration first = await client.GetGenerationAsync();
        RulesetGeneration again = await client.GetGenerationAsync();
        again.Id.Should().Be(first.Id, "nothing changed between two reads");
        ns.Nft("add", "table", "ip", "t1");
        RulesetGeneration afterOne = await client.GetGenerationAsync();
        afterOne.Id.Should().Be(first.Id + 1, "one nft transaction commits one generation");
        ns.NftScript("add table ip t2\nadd table ip t3\n");
        (await client.GetGenerationAsync()).Id.Should().Be(first.Id + 2, "an nft -f script is one transaction");
    }

    [NativeFact]
    public async Task Tables_listed_by_the_library_equal_nft_list_ruleset()
    {
        using var ns = new TestNamespace();
        ns.NftScript("""
            add table ip filter4
            add table ip6 filter6
            add table inet both { comment "a comment"; }
            add table arp arptab
            add table bridge br
            add table netdev nd
            add table ip sleepy { flags dormant; }
            """);
        using var client = new NfTablesClient(ns.Namespace);
        var tables = new List<Table>();
        await foreach (Table t in client.ListTablesAsync())
        {
            tables.Add(t);
        }

        // nft -a list ruleset prints "table FAMILY NAME { # handle N" and "flags dormant".
        string listing = ns.Nft("-a", "list", "ruleset");
        var expected = Regex.Matches(listing, @"^table (\w+) (\w+) \{ # handle (\d+)$", RegexOptions.Multiline)
            .Select(m => (Family: m.Groups[1].Value, Name: m.Groups[2].Value, Handle: ulong.Parse(m.Groups[3].Value)))
            .OrderBy(x => x.Name).ToList();
        expected.Should().HaveCount(7);
        tables.Select(t => (Family: FamilyName(t.Family), t.Name, t.Handle)).OrderBy(x => x.Name)
            .Should().Equal(expected);
        tables.Single(t => t.Name == "sleepy").Flags.Should().Be(TableFlags.Dormant);
        tables.Single(t => t.Name == "both").UserData.Length.Should().BeGreaterThan(0, "nft stores the comment in NFTA_TABLE_USERDATA");

        var onlyIPv6 = new List<Table>();
        await foreach (Table t in client.ListTablesAsync(NetfilterFamily.IPv6))
        {
            onlyIPv6.Add(t);
        }
        onlyIPv6.Select(t => t.Name).Should().Equal("filter6");
    }

    [NativeFact]
    public async Task A_large_dump_spans_many_datagrams_and_is_complete()
    {
        using var ns = new TestNamespace();
        var script = new System.Text.StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            script.Append("add table ip t").Append(i).Append('\n');
        }
        ns.NftScript(script.ToString());
        using var client = new NfTablesClient(ns.Namespace);
        int count = 0;
        await foreach (Table _ in client.ListTablesAsync())
        {
            count++;
        }
        count.Should().Be(3000);
    }

    [NativeFact]
    public void A_process_without_CAP_NET_ADMIN_gets_a_typed_error_that_names_the_capability()
    {
        using var ns = new TestNamespace();
        string self = typeof(Program).Assembly.Location;
        // setpriv drops CAP_NET_ADMIN from the bounding set, so the exec'd dotnet never has it.
        Tool.Result result = ns.Exec("setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin", "dotnet", self, "child", "generation");
        result.ExitCode.Should().Be(1, result.StandardError + result.StandardOutput);
        result.StandardError.Should().Contain("NetlinkException: EPERM").And.Contain("needs CAP_NET_ADMIN");

        Tool.Result allowed = ns.Exec("dotnet", self, "child", "generation");
        allowed.ExitCode.Should().Be(0, allowed.StandardError);
    }

    [NativeFact]
    public async Task Working_in_a_named_namespace_leaves_the_root_namespace_untouched()
    {
        string rootBefore = Tool.Check("nft", "list", "ruleset");
        using (var ns = new TestNamespace())
        {
            using var client = new NfTablesClient(ns.Namespace);
            // A raw batch through the transport: creates a table in the namespace only.
            using (var batch = new NfnetlinkBatch(client.Connection, NfnlSubsystem.NfTables))
            {
                batch.BeginMessage(NfTablesMessageType.NewTable, NetlinkMessageFlags.Create, NetfilterFamily.Inet, "table inet nfnt_probe");
                batch.Writer.WriteStringZ(1, "nfnt_probe");
                batch.EndMessage();
                (await batch.CommitAsync("batch", null, CancellationToken.None)).Should().BeEmpty();
            }
            ns.Nft("list", "tables").Should().Contain("table inet nfnt_probe");
            await client.GetGenerationAsync();
        }
        Tool.Check("nft", "list", "ruleset").Should().Be(rootBefore);
    }

    [NativeFact]
    public async Task A_refused_message_inside_a_batch_is_mapped_back_to_it_with_the_kernel_text()
    {
        using var ns = new TestNamespace();
        using var client = new NfTablesClient(ns.Namespace);
        using var batch = new NfnetlinkBatch(client.Connection, NfnlSubsystem.NfTables);
        batch.BeginMessage(NfTablesMessageType.NewTable, NetlinkMessageFlags.Create, NetfilterFamily.IPv4, "table ip ok");
        batch.Writer.WriteStringZ(1, "ok");
        batch.EndMessage();
        // NFT_MSG_NEWCHAIN into a table that does not exist: NFTA_CHAIN_TABLE=1, NFTA_CHAIN_NAME=3.
        batch.BeginMessage(NfTablesMessageType.NewChain, NetlinkMessageFlags.Create, NetfilterFamily.IPv4, "chain ip missing c");
        batch.Writer.WriteStringZ(1, "missing");
        batch.Writer.WriteStringZ(3, "c");
        batch.EndMessage();
        List<BatchFailure> failures = await batch.CommitAsync("batch", null, CancellationToken.None);
        failures.Should().ContainSingle();
        failures[0].Index.Should().Be(1);
        failures[0].Description.Should().Be("chain ip missing c");
        failures[0].Error.Errno.Should().Be(Errno.ENOENT);
        ns.Nft("list", "tables").Should().NotContain("ok", "the batch is atomic: the valid table was not created either");
    }

    private static string FamilyName(NetfilterFamily family) => family switch
    {
        NetfilterFamily.IPv4 => "ip",
        NetfilterFamily.IPv6 => "ip6",
        NetfilterFamily.Inet => "inet",
        NetfilterFamily.Arp => "arp",
        NetfilterFamily.Bridge => "bridge",
        NetfilterFamily.Netdev => "netdev",
        _ => family.ToString(),
    };
}
