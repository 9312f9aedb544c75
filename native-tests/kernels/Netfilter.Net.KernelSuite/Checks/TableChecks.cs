using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.KernelSuite.Checks;

/// <summary>Tables (plain, dormant, owned, persistent), destroy, the generation check and batch acknowledgement.</summary>
internal static class TableChecks
{
    private const NetfilterFamily Inet = NetfilterFamily.Inet;

    public static IEnumerable<Check> All()
    {
        yield return new("table.basic", "table, base chain and rule: commit, read back, decode as nft does", BasicAsync);
        yield return new("table.dormant", "NFT_TABLE_F_DORMANT: read back; a dormant table's drop rule drops nothing", DormantAsync);
        yield return new("table.owner", "NFT_TABLE_F_OWNER: the table goes when its owner's socket closes", OwnerAsync);
        yield return new("table.persist", "NFT_TABLE_F_PERSIST: an owned table that outlives its owner", PersistAsync);
        foreach ((string kind, Func<Task<string>> run) in DestroyChecks())
        {
            yield return new($"destroy.{kind}", $"NFT_MSG_DESTROY for a {kind}: absent is not an error, present is deleted", run);
        }
        yield return new("generation", "NFNL_BATCH_GENID: a commit against a stale generation is refused whole", GenerationAsync);
        yield return new("batch.ack", "one ack for a 500-message batch; NLM_F_ECHO handles of every rule", BatchAckAsync);
        yield return new("batch.refusal", "a refused message in a batch: named by index, nothing applied", BatchRefusalAsync);
    }

    private static Rule Rule(string chain, params NftExpression[] expressions) => new(Inet, "t", chain, expressions);

    private static Chain Input(string name = "in", VerdictKind policy = VerdictKind.Accept) =>
        new(Inet, "t", name) { Hook = new ChainHook(ChainHooks.Input, 0), Type = "filter", Policy = policy };

    private static NftExpression[] TcpDport(ushort port) => new NftExpression[]
    {
        MetaExpression.Load(MetaKey.L4Proto, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(6)),
        PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(port)),
    };

    private static async Task<string> BasicAsync()
    {
        using var ns = new TestNamespace("kt");
        using var client = new NfTablesClient(ns.Namespace);
        NfTablesCommitResult result = await client.CommitAsync(new NfTablesTransaction()
            .AddTable(new Table(Inet, "t"))
            .AddChain(Input())
            .AddRule(Rule("in", TcpDport(22).Append(new CounterExpression()).Append(new ImmediateExpression(Verdict.Accept)).ToArray()).WithComment("ssh")));
        Ruleset ruleset = await client.GetRulesetAsync();
        Expect.Equal(KernelComparison.DecodeDifference(ns, ruleset), "decoding");
        string listing = NftOracle.ListRuleset(ns);
        Expect.That(listing.Contains("tcp dport 22 counter packets 0 bytes 0 accept comment \"ssh\"", StringComparison.Ordinal), "nft lists the rule as written:\n" + listing);
        Expect.That(ruleset.Rules.Single().Handle == result.Handles[2], "the echoed handle is the rule's handle");
        return $"rule handle {result.Handles[2]}, {result.Messages} messages";
    }

    private static async Task<string> DormantAsync()
    {
        using var ns = new TestNamespace("kd");
        using var server = Traffic.StartTcp(ns, new IPEndPoint(IPAddress.Loopback, 7000), "server");
        using var client = new NfTablesClient(ns.Namespace);
        Rule drop = Rule("in", TcpDport(7000).Append(new ImmediateExpression(Verdict.Drop)).ToArray());
        await client.CommitAsync(new NfTablesTransaction().AddTable(new Table(Inet, "t") { Flags = TableFlags.Dormant }).AddChain(Input()).AddRule(drop));
        Table table = (await client.GetRulesetAsync()).Tables.Single();
        Expect.That(table.Flags == TableFlags.Dormant, $"the table reads back dormant: {table.Flags}");
        Expect.That(NftOracle.ListRuleset(ns).Contains("flags dormant", StringComparison.Ordinal), "nft lists it with flags dormant");
        string? answer = Traffic.TcpRequest(ns, new IPEndPoint(IPAddress.Loopback, 7000));
        Expect.That(answer?.StartsWith("server ", StringComparison.Ordinal) == true, $"a dormant table's drop rule drops nothing, got {answer ?? "no answer"}");
        // Waking it (add table without the flag updates the flags) hooks the chain.
        await client.CommitAsync(new NfTablesTransaction().AddTable(new Table(Inet, "t")));
        Expect.That((await client.GetRulesetAsync()).Tables.Single().Flags == TableFlags.None, "the flag is cleared");
        Expect.That(Traffic.TcpRequest(ns, new IPEndPoint(IPAddress.Loopback, 7000)) is null, "once awake, the rule drops the connection");
        return "dormant read back, dormant drop rule inactive, active once woken";
    }

    private static async Task<string> OwnerAsync()
    {
        using var ns = new TestNamespace("ko");
        var owner = new NfTablesClient(ns.Namespace);
        await owner.CommitAsync(new NfTablesTransaction().AddTable(new Table(Inet, "t") { Flags = TableFlags.Owner }));
        using var reader = new NfTablesClient(ns.Namespace);
        Table table = (await reader.GetRulesetAsync()).Tables.Single();
        Expect.That((table.Flags & TableFlags.Owner) != 0 && table.Owner is > 0, $"the table reads back owned, with the owner's port id: {table.Flags} owner {table.Owner}");
        owner.Dispose();
        Expect.That((await reader.GetRulesetAsync()).Tables.Count == 0, "the table went with its owner's socket");
        return $"owned by port {table.Owner}; gone when it closed";
    }

    private static async Task<string> PersistAsync()
    {
        using var ns = new TestNamespace("kp");
        var owner = new NfTablesClient(ns.Namespace);
        await owner.CommitAsync(new NfTablesTransaction().AddTable(new Table(Inet, "t") { Flags = TableFlags.Owner | TableFlags.Persist }));
        owner.Dispose();
        using var reader = new NfTablesClient(ns.Namespace);
        IReadOnlyList<Table> tables = (await reader.GetRulesetAsync()).Tables;
        Expect.That(tables.Count == 1, "the persistent table outlived its owner");
        return $"flags after the owner left: {tables[0].Flags}";
    }

    private static IEnumerable<(string, Func<Task<string>>)> DestroyChecks()
    {
        yield return ("table", () => DestroyAsync(
            tx => tx.DestroyTable(Inet, "absent"),
            (tx, _) => tx.DestroyTable(Inet, "t"),
            r => r.Tables.Count == 0));
        yield return ("chain", () => DestroyAsync(
            tx => tx.DestroyChain(Inet, "t", "absent"),
            (tx, _) => tx.DestroyChain(Inet, "t", "c"),
            r => !r.Chains.Any(c => c.Name == "c")));
        yield return ("rule", () => DestroyAsync(
            tx => tx.DestroyRule(Inet, "t", "c", 999),
            (tx, handle) => tx.DestroyRule(Inet, "t", "c", handle),
            r => r.Rules.Count == 0, rule: true));
        yield return ("set", () => DestroyAsync(
            tx => tx.DestroySet(Inet, "t", "absent"),
            (tx, _) => tx.DestroySet(Inet, "t", "s"),
            r => r.Sets.Count == 0));
        yield return ("element", () => DestroyAsync(
            tx => tx.DestroyElements(Set(), new[] { Element("10.9.9.9") }),
            (tx, _) => tx.DestroyElements(Set(), new[] { Element("10.0.0.1"), Element("10.9.9.9") }),
            r => r.ElementsOf(r.Sets.Single()).Count == 0));
        yield return ("object", () => DestroyAsync(
            tx => tx.DestroyObject(Inet, "t", NftObjectType.Counter, "absent"),
            (tx, _) => tx.DestroyObject(Inet, "t", NftObjectType.Counter, "cnt"),
            r => r.Objects.Count == 0));
        yield return ("flowtable", () => DestroyAsync(
            tx => tx.DestroyFlowtable(Inet, "t", "absent"),
            null,
            null));
    }

    private static Set Set() => new(Inet, "t", "s") { KeyType = SetDataTypes.IPv4Address, KeyLength = 4 };

    private static SetElement Element(string address) => new(NftData.FromIPAddress(IPAddress.Parse(address)));

    /// <summary>Destroys something absent (must succeed and change nothing), then something present (must delete it).</summary>
    private static async Task<string> DestroyAsync(Action<NfTablesTransaction> absent, Action<NfTablesTransaction, ulong>? present, Func<Ruleset, bool>? gone, bool rule = false)
    {
        using var ns = new TestNamespace("kx");
        using var client = new NfTablesClient(ns.Namespace);
        var setup = new NfTablesTransaction()
            .AddTable(new Table(Inet, "t"))
            .AddChain(new Chain(Inet, "t", "c"))
            .AddSet(Set(), new[] { Element("10.0.0.1") })
            .AddObject(new CounterObject(Inet, "t", "cnt"));
        if (rule)
        {
            setup.AddRule(Rule("c", new CounterExpression()));
        }
        await client.CommitAsync(setup);
        uint before = (await client.GetRulesetAsync()).Generation;
        var tx = new NfTablesTransaction();
        absent(tx);
        await client.CommitAsync(tx);
        Ruleset after = await client.GetRulesetAsync();
        Expect.That(after.Tables.Count == 1 && after.Sets.Count == 1 && after.Objects.Count == 1, "destroying something absent changed nothing");
        if (present is null)
        {
            return $"absent: accepted (generation {before} -> {after.Generation})";
        }
        tx = new NfTablesTransaction();
        present(tx, rule ? after.Rules.Single().Handle : 0);
        await client.CommitAsync(tx);
        Expect.That(gone!(await client.GetRulesetAsync()), "destroying something present deleted it");
        return "absent: accepted; present: deleted";
    }

    private static async Task<string> GenerationAsync()
    {
        using var ns = new TestNamespace("kg");
        using var client = new NfTablesClient(ns.Namespace);
        uint generation = (await client.GetGenerationAsync()).Id;
        await client.CommitAsync(new NfTablesTransaction { ExpectedGeneration = generation }.AddTable(new Table(Inet, "a")));
        try
        {
            await client.CommitAsync(new NfTablesTransaction { ExpectedGeneration = generation }.AddTable(new Table(Inet, "b")));
            throw new CheckFailedException("a commit against a stale generation was applied");
        }
        catch (NfTablesGenerationException e)
        {
            Expect.That(e.ExpectedGeneration == generation, "the refusal names the expected generation");
        }
        IReadOnlyList<Table> tables = (await client.GetRulesetAsync()).Tables;
        Expect.That(tables.Count == 1 && tables[0].Name == "a", "only the first commit was applied");
        return $"generation {generation}: first commit applied, second refused with ERESTART";
    }

    private static async Task<string> BatchAckAsync()
    {
        using var ns = new TestNamespace("kb");
        using var client = new NfTablesClient(ns.Namespace);
        var tx = new NfTablesTransaction().AddTable(new Table(Inet, "t")).AddChain(new Chain(Inet, "t", "c"));
        for (int i = 0; i < 500; i++)
        {
            tx.AddRule(Rule("c", TcpDport((ushort)(1000 + i)).Append(new ImmediateExpression(Verdict.Accept)).ToArray()));
        }
        NfTablesCommitResult result = await client.CommitAsync(tx);
        Expect.That(result.Handles.Skip(2).All(h => h != 0) && result.Handles.Skip(2).Distinct().Count() == 500, "every rule's handle came back");
        Expect.That((await client.GetRulesetAsync()).Rules.Count == 500, "500 rules in the kernel");
        return $"{result.Messages} messages, 500 handles";
    }

    private static async Task<string> BatchRefusalAsync()
    {
        using var ns = new TestNamespace("kr");
        using var client = new NfTablesClient(ns.Namespace);
        var tx = new NfTablesTransaction().AddTable(new Table(Inet, "t")).AddChain(new Chain(Inet, "t", "c"));
        for (int i = 0; i < 50; i++)
        {
            tx.AddRule(Rule("c", new ImmediateExpression(i == 30 ? Verdict.JumpTo("absent") : Verdict.Accept)));
        }
        try
        {
            await client.CommitAsync(tx);
            throw new CheckFailedException("a batch with a jump to a missing chain was applied");
        }
        catch (NfTablesException e) when (e is not NfTablesKernelFeatureException)
        {
            Expect.That(e.Errno == Errno.ENOENT && e.OperationIndex == 32 && e.ExpressionName == "immediate", $"the refusal names operation 33 and its immediate expression: {e.Message}");
        }
        Expect.That((await client.GetRulesetAsync()).Tables.Count == 0, "nothing of the batch was applied");
        return "ENOENT named operation 33, expression immediate; nothing applied";
    }
}
