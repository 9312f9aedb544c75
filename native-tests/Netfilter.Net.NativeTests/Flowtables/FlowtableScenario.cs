using System.Net;
using System.Net.Sockets;
using System.Text;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Flowtables;

/// <summary>
/// Flowtables and flow offload against the kernel, written once for two runners: the xunit
/// tests beside this file (on this machine's kernel, when it has flowtables) and the kernel
/// suite (native-tests/kernels, NativeAOT, on 6.1 and 6.12 under qemu). Each scenario throws
/// <see cref="FlowtableCheckException"/> with what differed, and returns what it saw.
/// </summary>
public static class FlowtableScenario
{
    private const string Table = "ftt";

    /// <summary>A namespace with a veth pair whose two ends, <c>va</c> and <c>vb</c>, are up in it: a flowtable needs devices.</summary>
    public static TestNamespace NamespaceWithDevices(string role, params string[] pairs)
    {
        var ns = new TestNamespace(role);
        try
        {
            foreach (string pair in pairs.Length == 0 ? new[] { "va:vb" } : pairs)
            {
                string[] ends = pair.Split(':');
                ns.Ip("link", "add", ends[0], "type", "veth", "peer", "name", ends[1]);
                ns.Ip("link", "set", ends[0], "up");
                ns.Ip("link", "set", ends[1], "up");
            }
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    private static Flowtable Ft(params string[] devices) => new(NetfilterFamily.Inet, Table, "ft")
    {
        HookNumber = Flowtable.IngressHook,
        Priority = 0,
        Devices = devices,
        Flags = FlowtableFlags.Counter,
    };

    private static Rule OffloadRule(byte protocol, bool counter) => new(NetfilterFamily.Inet, Table, "fw", new NftExpression[]
    {
        MetaExpression.Load(MetaKey.L4Proto, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(protocol)),
        new FlowOffloadExpression("ft"),
    }.Concat(counter ? new NftExpression[] { new CounterExpression() } : Array.Empty<NftExpression>()).ToArray());

    private static Chain ForwardChain() => new(NetfilterFamily.Inet, Table, "fw")
    {
        Hook = new ChainHook(ChainHooks.Forward, 0),
        Type = "filter",
        Policy = VerdictKind.Accept,
    };

    /// <summary>
    /// The library creates a flowtable over two veths and two <c>flow add @ft</c> rules; lists and
    /// decodes them (equal to nft's view); refuses to delete a flowtable that rules use (EBUSY);
    /// deletes the rules and the flowtable. Returns nft's listing of the created flowtable.
    /// </summary>
    public static async Task<string> CreateListDecodeDeleteAsync()
    {
        using TestNamespace ns = NamespaceWithDevices("ft");
        using var client = new NfTablesClient(ns.Namespace);
        NfTablesCommitResult created = await client.CommitAsync(new NfTablesTransaction()
            .AddTable(new Table(NetfilterFamily.Inet, Table))
            .AddFlowtable(Ft("va", "vb"))
            .AddChain(ForwardChain())
            .AddRule(OffloadRule(6, counter: false))
            .AddRule(OffloadRule(17, counter: true)));

        // Listed: the library's own dump, and nft's listing.
        List<Flowtable> listed = new();
        await foreach (Flowtable f in client.ListFlowtablesAsync(NetfilterFamily.Inet, Table))
        {
            listed.Add(f);
        }
        Expect(listed.Count == 1, $"one flowtable listed, got {listed.Count}");
        Flowtable ft = listed[0];
        Expect(ft.Name == "ft" && ft.Table == Table && ft.Family == NetfilterFamily.Inet, $"the flowtable read back is {ft}");
        Expect(ft.HookNumber == Flowtable.IngressHook && ft.Priority == 0, $"hook ingress priority 0 read back, got hook {ft.HookNumber} priority {ft.Priority}");
        Expect(ft.Devices is not null && ft.Devices.OrderBy(d => d, StringComparer.Ordinal).SequenceEqual(new[] { "va", "vb" }), $"devices va, vb read back, got {string.Join(", ", ft.Devices ?? Array.Empty<string>())}");
        Expect(ft.Flags == FlowtableFlags.Counter, $"flags counter read back, got {ft.Flags}");
        Expect(ft.Use == 2, $"the kernel counts the two rules that use it (NFTA_FLOWTABLE_USE), got {ft.Use}");
        Expect(ft.Handle != 0, "the kernel gave the flowtable a handle");

        string listing = NftOracle.ListRuleset(ns);
        string flowtableBlock = Between(listing, "flowtable ft {", "\n\t}");
        foreach (string expected in new[] { "hook ingress priority filter", "devices = { va, vb }", "counter" })
        {
            Expect(flowtableBlock.Contains(expected, StringComparison.Ordinal), $"nft lists the flowtable with '{expected}':\n{listing}");
        }
        Expect(listing.Contains("meta l4proto tcp flow add @ft", StringComparison.Ordinal), $"nft lists the tcp rule as 'flow add @ft':\n{listing}");
        Expect(listing.Contains("meta l4proto udp flow add @ft counter", StringComparison.Ordinal), $"nft lists the udp rule with its counter:\n{listing}");

        // Decoded: the library's rendering of every rule equals nft's debug dump.
        Ruleset ruleset = await client.GetRulesetAsync();
        // Records compare their device lists by reference: compare what they say instead.
        Expect(ruleset.Flowtables.Count == 1 && ruleset.Flowtables[0].ToString() == ft.ToString() && ruleset.Flowtables[0].Handle == ft.Handle,
            $"the ruleset snapshot holds the same flowtable: {string.Join("; ", ruleset.Flowtables)}");
        Expect(ruleset.Rules.Count(r => r.Expressions.OfType<FlowOffloadExpression>().Any(e => e.Flowtable == "ft")) == 2, "both rules decode a flow_offload expression naming ft");
        ExpectEqual(KernelComparison.DecodeDifference(ns, ruleset), "decoding");

        // Deleted: not while rules use it; then, once they are gone.
        try
        {
            await client.CommitAsync(new NfTablesTransaction().DeleteFlowtable(NetfilterFamily.Inet, Table, "ft"));
            throw new FlowtableCheckException("the kernel deleted a flowtable that two rules use");
        }
        catch (NfTablesException e) when (e.Errno == Errno.EBUSY)
        {
            Expect(e.OperationDescription == $"delete flowtable inet {Table} ft", $"the refusal names the operation: {e.Message}");
        }
        Expect(created.Handles[3] != 0 && created.Handles[4] != 0, "the commit returned the rules' handles");
        await client.CommitAsync(new NfTablesTransaction()
            .DeleteRule(NetfilterFamily.Inet, Table, "fw", created.Handles[3])
            .DeleteRule(NetfilterFamily.Inet, Table, "fw", created.Handles[4])
            .DeleteFlowtable(NetfilterFamily.Inet, Table, ft.Handle));
        int left = 0;
        await foreach (Flowtable _ in client.ListFlowtablesAsync())
        {
            left++;
        }
        Expect(left == 0, $"no flowtable left after the delete, {left} listed");
        Expect(!NftOracle.ListRuleset(ns).Contains("flowtable", StringComparison.Ordinal), "nft lists no flowtable after the delete");
        return flowtableBlock.Trim();
    }

    /// <summary>
    /// nft writes a flowtable and rules that use it (both spellings, <c>flow add</c> and
    /// <c>flow offload</c>, two flowtables, a priority that is not 0); the library decodes them as
    /// nft does, and its <see cref="NfTablesTransaction.Recreate"/> into a fresh namespace with
    /// the same devices lists the same.
    /// </summary>
    public static async Task<string> NftWrittenRoundTripAsync()
    {
        const string script = """
            table inet fw4 {
              flowtable ft {
                hook ingress priority filter + 10
                devices = { va, vb }
                counter
              }
              flowtable ft2 {
                hook ingress priority -100
                devices = { vc }
              }
              chain forward {
                type filter hook forward priority filter; policy drop;
                meta l4proto { tcp, udp } flow offload @ft
                ip protocol tcp ct state established flow add @ft2 counter
                ct state established,related accept
              }
            }
            table ip other {
              flowtable f {
                hook ingress priority 5
                devices = { vd }
              }
              chain forward {
                type filter hook forward priority 0;
                ip daddr 10.0.0.0/8 flow add @f
              }
            }
            """;
        string[] devices = { "va:vb", "vc:vd" };
        using TestNamespace source = NamespaceWithDevices("fts", devices);
        using TestNamespace target = NamespaceWithDevices("ftr", devices);
        source.NftScript(script);
        using var client = new NfTablesClient(source.Namespace);
        Ruleset ruleset = await client.GetRulesetAsync();
        Expect(ruleset.Flowtables.Count == 3, $"three flowtables decoded, got {ruleset.Flowtables.Count}");
        Flowtable ft = ruleset.Flowtables.Single(f => f.Name == "ft");
        Expect(ft.Priority == 10 && ft.Flags == FlowtableFlags.Counter, $"ft read back as priority 10 with counter: {ft}");
        Expect(ruleset.Flowtables.Single(f => f.Name == "ft2").Priority == -100, "ft2's negative priority read back");
        ExpectEqual(KernelComparison.DecodeDifference(source, ruleset), "decoding");

        using var targetClient = new NfTablesClient(target.Namespace);
        await targetClient.CommitAsync(NfTablesTransaction.Recreate(ruleset));
        ExpectEqual(KernelComparison.ListingDifference(source, target), "round trip (listing)");
        Ruleset again = await targetClient.GetRulesetAsync();
        ExpectEqual(KernelComparison.DecodeDifference(target, again), "decoding of the recreated ruleset");
        return $"{ruleset.Flowtables.Count} flowtables, {ruleset.Rules.Count} rules decoded and recreated";
    }

    /// <summary>
    /// Software flow offload with real traffic: client, router, server; the router forwards
    /// through a flowtable over lan and wan and a forward chain whose <c>flow add @ft</c> rule
    /// the library wrote. A TCP connection sends a first part, the router's conntrack entry shows
    /// [OFFLOAD] (conntrack -L, and the library's <see cref="ConntrackStatus.Offload"/>), then a
    /// second, larger part crosses, and the server receives every byte. The forward chain's
    /// counter barely moves during the second part: its packets took the fast path, which skips
    /// the forward hook. Returns the conntrack line and the figures.
    /// </summary>
    public static async Task<string> OffloadWithTrafficAsync()
    {
        const int firstPart = 64 * 1024, secondPart = 2 * 1024 * 1024;
        using var topology = new Topology();
        TestNamespace router = topology.Router;
        Forwarding.Enable(NetfilterFamily.IPv4, router.Namespace);
        // Per-flow byte counters in conntrack, which the flowtable's counter flag keeps up to date for offloaded packets.
        new SysctlClient(router.Namespace).Write("net.netfilter.nf_conntrack_acct", "1");
        using var client = new NfTablesClient(router.Namespace);
        await client.CommitAsync(new NfTablesTransaction()
            .AddTable(new Table(NetfilterFamily.Inet, Table))
            .AddFlowtable(Ft("lan", "wan"))
            .AddChain(ForwardChain())
            // Counts what the slow path forwards, then hands TCP to the flowtable.
            .AddRule(new Rule(NetfilterFamily.Inet, Table, "fw", new NftExpression[] { new CounterExpression() }))
            .AddRule(OffloadRule(6, counter: false)));

        var serverEndpoint = new IPEndPoint(IPAddress.Parse("10.0.2.2"), 5001);
        using Socket listener = topology.Server.Namespace.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(serverEndpoint);
            s.Listen(4);
            return s;
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        // The server: reads until the client shuts down its side, acknowledging each part with the byte count so far.
        Task<long> server = Task.Run(async () =>
        {
            using Socket connection = await listener.AcceptAsync(cts.Token);
            var buffer = new byte[64 * 1024];
            long total = 0;
            bool acknowledgedFirst = false;
            while (true)
            {
                int n = await connection.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    break;
                }
                total += n;
                if (!acknowledgedFirst && total >= firstPart)
                {
                    acknowledgedFirst = true;
                    await connection.SendAsync(Encoding.ASCII.GetBytes($"{total}\n"), SocketFlags.None, cts.Token);
                }
            }
            await connection.SendAsync(Encoding.ASCII.GetBytes($"{total}\n"), SocketFlags.None, cts.Token);
            connection.Shutdown(SocketShutdown.Send);
            return total;
        });

        using Socket socket = topology.Client.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        await socket.ConnectAsync(serverEndpoint, cts.Token);
        var payload = new byte[secondPart];
        new Random(12).NextBytes(payload);
        await SendAllAsync(socket, payload.AsMemory(0, firstPart), cts.Token);
        string firstAck = await ReadLineAsync(socket, cts.Token);
        Expect(firstAck == firstPart.ToString(System.Globalization.CultureInfo.InvariantCulture), $"the server acknowledged the first part: '{firstAck}'");

        // The connection is established and assured both ways: the next packet through the
        // forward chain offloads it. Wait (bounded) until the router's conntrack says so.
        string? offloadLine = null;
        ConntrackEntry? entry = null;
        using var conntrack = new ConntrackClient(router.Namespace);
        for (int attempt = 0; attempt < 50 && offloadLine is null; attempt++)
        {
            await SendAllAsync(socket, payload.AsMemory(0, 1), cts.Token);
            await Task.Delay(100, cts.Token);
            offloadLine = router.Check("conntrack", "-L", "-p", "tcp", "--dport", "5001").Split('\n')
                .FirstOrDefault(l => l.Contains("[OFFLOAD]", StringComparison.Ordinal));
        }
        Expect(offloadLine is not null, "conntrack -L in the router shows the connection [OFFLOAD] within 5 s:\n" + router.Check("conntrack", "-L"));
        foreach (ConntrackEntry e in await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp, OriginalDestinationPort = 5001 }))
        {
            entry = e;
        }
        Expect(entry is not null && (entry.Status & ConntrackStatus.Offload) != 0, $"the library reads the entry with status Offload: {entry?.Status}");
        ulong slowPathBefore = await ForwardCounterAsync(client);

        // The second part: 2 MiB, some 1,400 or more segments each way, through the fast path.
        await SendAllAsync(socket, payload, cts.Token);
        socket.Shutdown(SocketShutdown.Send);
        string total = await ReadLineAsync(socket, cts.Token);
        long received = await server;
        ulong slowPathAfter = await ForwardCounterAsync(client);
        long probes = received - firstPart - secondPart;
        Expect(probes is >= 1 and <= 50, $"the server received every byte: {received} (first part {firstPart}, {probes} one-byte probes, second part {secondPart})");
        Expect(total == received.ToString(System.Globalization.CultureInfo.InvariantCulture), $"the server's count reached the client: '{total}'");
        ulong slowPackets = slowPathAfter - slowPathBefore;
        // 2 MiB is at least 1,400 data segments plus their acks; a handful (the FIN, the
        // teardown, a race with the offload work queue) may still take the slow path.
        Expect(slowPackets < 100, $"the forward chain saw {slowPackets} packets of the 2 MiB part: the flowtable did not carry it");
        ConntrackEntry? after = null;
        foreach (ConntrackEntry e in await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp, OriginalDestinationPort = 5001 }))
        {
            after = e;
        }
        string counters = after?.OriginalCounters is ConntrackCounters c ? $"; conntrack counted {c.Packets} packets, {c.Bytes} bytes from the client" : string.Empty;
        return $"{offloadLine!.Trim()}\n    then {secondPart} bytes crossed with {slowPackets} packets through the forward chain; the server received {received} bytes{counters}";
    }

    private static async Task<ulong> ForwardCounterAsync(NfTablesClient client)
    {
        Ruleset ruleset = await client.GetRulesetAsync(NetfilterFamily.Inet);
        Rule counting = ruleset.Rules.First(r => r.Table == Table && r.Chain == "fw" && r.Expressions.Count == 1);
        return ((CounterExpression)counting.Expressions[0]).Packets ?? 0;
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int n = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data.Slice(n);
        }
    }

    private static async Task<string> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await socket.ReceiveAsync(one, SocketFlags.None, cancellationToken) == 1 && one[0] != (byte)'\n')
        {
            line.Append((char)one[0]);
        }
        return line.ToString();
    }

    private static string Between(string text, string start, string end)
    {
        int s = text.IndexOf(start, StringComparison.Ordinal);
        if (s < 0)
        {
            return string.Empty;
        }
        int e = text.IndexOf(end, s + start.Length, StringComparison.Ordinal);
        return e < 0 ? text[s..] : text[s..(e + end.Length)];
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new FlowtableCheckException(what);
        }
    }

    private static void ExpectEqual(string? difference, string what)
    {
        if (difference is not null)
        {
            throw new FlowtableCheckException($"{what} differs: {difference}");
        }
    }
}

/// <summary>A flowtable scenario saw something other than what it expected.</summary>
public sealed class FlowtableCheckException : Exception
{
    public FlowtableCheckException(string message) : base(message)
    {
    }
}
