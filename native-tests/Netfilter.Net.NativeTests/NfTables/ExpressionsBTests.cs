using System.Net;
using System.Net.Sockets;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NativeTests.NfTables;

/// <summary>
/// Part-B expressions and stateful objects against the real kernel: rulesets written by nft in
/// each family decode to what nft itself prints, recreate identically in a fresh namespace, and
/// the objects count real packets. (Flowtables, flow_offload and queue need CONFIG_NF_FLOW_TABLE
/// and CONFIG_NFT_QUEUE; secmark needs an active LSM. The kernel these tests were written on has
/// none of them, so those are covered by the golden-byte unit tests only.)
/// </summary>
public sealed class ExpressionsBTests
{
    // Chain names avoid nft keywords (in, out, fwd...). Only expressions of part B and the core
    // (meta, cmp, payload, immediate, lookup, counter) appear, so every one must decode typed.
    private const string Inet = """
        table inet b {
          counter cnt1 { packets 5 bytes 50; comment "c"; }
          quota q1 { over 100 mbytes used 10 bytes; }
          limit l1 { rate 10/second burst 5 packets; }
          limit l2 { rate over 1 mbytes/second burst 512 kbytes; }
          ct helper h1 { type "ftp" protocol tcp; l3proto ip; }
          ct timeout to1 { protocol tcp; l3proto ip; policy = { established: 100, close: 4 }; }
          ct timeout to2 { protocol udp; l3proto ip6; policy = { replied: 20 }; }
          ct expectation e1 { protocol tcp; dport 21; timeout 10s; size 8; l3proto ip; }
          synproxy sp1 { mss 1460; wscale 7; timestamp sack-perm; }
          chain craw { type filter hook prerouting priority -300; notrack; }
          chain cpre { type filter hook prerouting priority -150;
            socket transparent 1 accept
            socket mark 0x5
            socket wildcard 0
            fib saddr . iif oif missing drop
            fib daddr type local
            fib daddr . mark oifname "lo"
            tcp option maxseg size 1400
            tcp option sack-perm exists
            ip option rr exists
            hbh nexthdr 6
            sctp chunk init num-inbound-streams 4
            sctp chunk data exists
            meta mark set numgen inc mod 2 offset 100
            meta mark set numgen random mod 10
            meta mark set jhash ip saddr . tcp dport mod 2 seed 0xdeadbeef offset 100
            meta mark set symhash mod 2 offset 100
            counter name "cnt1"
            counter name ip saddr map { 1.2.3.4 : "cnt1", 5.6.7.8 : "cnt1" }
            quota name "q1"
            limit name "l1"
            rt classid 10
            ipsec in reqid 1
            ipsec in spnum 1 spi 1
            osf name "Linux"
            osf ttl skip version "Linux:4.20"
            ct helper set "h1"
            ct timeout set "to1"
            ct expectation set "e1"
            reset tcp option sack-perm
          }
          chain cfwd { type filter hook forward priority 0;
            tcp option maxseg size set 1360
            rt mtu 1400
          }
          chain cout { type filter hook output priority 0;
            rt ip nexthop 10.0.0.1
            rt ip6 nexthop fd00::1
            ipsec out ip daddr 1.2.3.4
          }
          chain cin { type filter hook input priority 0;
            synproxy mss 1460 wscale 7 timestamp sack-perm
            synproxy name "sp1"
            reject
            reject with tcp reset
            reject with icmpx type admin-prohibited
          }
        }
        """;

    private const string Ip = """
        table ip a {
          counter c4 { }
          chain cpre { type filter hook prerouting priority 0; fib saddr . iif oif missing drop; counter name "c4"; reject; }
          chain cfwd { type filter hook forward priority 0; dup to 10.0.0.2 device "d0"; dup to 10.0.0.3; }
        }
        """;

    private const string Ip6 = """
        table ip6 c {
          quota q6 { 25 mbytes; }
          chain cpre { type filter hook prerouting priority 0; quota name "q6"; hbh nexthdr 6; reject with icmpv6 type admin-prohibited; }
        }
        """;

    // netdev: fwd and dup out of a device. CONFIG_DUMMY is off here, so the device is a veth end.
    private const string Netdev = """
        table netdev n {
          chain cing { type filter hook ingress device "d0" priority 0; fwd to "d0"; dup to "d0"; fwd ip to 10.0.0.1 device "d0"; fwd ip6 to fd00::1 device "d0"; }
        }
        """;

    public static IEnumerable<object[]> Families() => new[]
    {
        new object[] { "inet", Inet },
        new object[] { "ip", Ip },
        new object[] { "ip6", Ip6 },
        new object[] { "netdev", Netdev },
    };

    [NativeTheory]
    [MemberData(nameof(Families))]
    public async Task What_nft_wrote_decodes_to_typed_expressions_that_print_what_nft_prints(string family, string script)
    {
        using TestNamespace ns = WithDevice(family);
        ns.NftScript(script);
        using var client = new NfTablesClient(ns.Namespace);
        Ruleset ruleset = await client.GetRulesetAsync();

        ruleset.Rules.SelectMany(r => r.Expressions).Should().NotContain(e => e is UnknownExpression, "every expression in the script has a typed decoder");
        ruleset.Objects.Should().NotContain(o => o is UnknownObject, "every object type nft writes has a typed decoder");
        NftDebugFormatter.Render(ruleset).Should().Be(NftOracle.DebugNetlink(ns));
    }

    [NativeTheory]
    [MemberData(nameof(Families))]
    public async Task A_decoded_ruleset_recreated_in_a_fresh_namespace_lists_identically(string family, string script)
    {
        using TestNamespace source = WithDevice(family);
        source.NftScript(script);
        Ruleset ruleset;
        using (var client = new NfTablesClient(source.Namespace))
        {
            ruleset = await client.GetRulesetAsync();
        }
        using TestNamespace target = WithDevice(family);
        using (var client = new NfTablesClient(target.Namespace))
        {
            await client.CommitAsync(NfTablesTransaction.Recreate(ruleset));
        }
        NftOracle.ListRuleset(target).Should().Be(NftOracle.ListRuleset(source));
    }

    [NativeFact]
    public async Task Objects_are_listed_typed_with_their_values_and_filtered_by_the_kernel()
    {
        using TestNamespace ns = WithDevice("inet");
        ns.NftScript(Inet);
        using var client = new NfTablesClient(ns.Namespace);

        var objects = new List<NftObject>();
        await foreach (NftObject o in client.ListObjectsAsync(NetfilterFamily.Inet, "b"))
        {
            objects.Add(o);
        }
        objects.Select(o => o.Name).Should().BeEquivalentTo(new[] { "cnt1", "q1", "l1", "l2", "h1", "to1", "to2", "e1", "sp1" });
        objects.Should().OnlyContain(o => o.Handle != 0 && o.Table == "b" && o.Family == NetfilterFamily.Inet);

        var counter = objects.OfType<CounterObject>().Single();
        (counter.Packets, counter.Bytes, counter.Comment).Should().Be((5UL, 50UL, "c"));
        counter.Use.Should().Be(3u, "two rules and the object map refer to it");
        var quota = objects.OfType<QuotaObject>().Single();
        (quota.Bytes, quota.Consumed, quota.Flags).Should().Be((100UL * 1024 * 1024, 10UL, QuotaFlags.Inverted));
        objects.OfType<LimitObject>().Single(l => l.Name == "l2").LimitType.Should().Be(LimitType.Bytes);
        objects.OfType<CtHelperObject>().Single().Helper.Should().Be("ftp");
        objects.OfType<CtTimeoutObject>().Single(t => t.Name == "to1").Timeouts![2].Should().Be(100u);
        objects.OfType<CtTimeoutObject>().Single(t => t.Name == "to2").Timeouts.Should().Equal(30u, 20u);
        objects.OfType<CtExpectationObject>().Single().TimeoutMilliseconds.Should().Be(10000u);
        objects.OfType<SynproxyObject>().Single().Mss.Should().Be((ushort)1460);

        var limits = new List<NftObject>();
        await foreach (NftObject o in client.ListObjectsAsync(NetfilterFamily.Inet, "b", NftObjectType.Limit))
        {
            limits.Add(o);
        }
        limits.Select(o => o.Name).Should().BeEquivalentTo(new[] { "l1", "l2" });
    }

    [NativeFact]
    public async Task Objects_written_by_the_library_list_as_the_same_objects_written_by_nft()
    {
        const string script = """
            table inet x {
              counter c1 { packets 1 bytes 2; comment "hi"; }
              quota q1 { over 100 mbytes used 10 bytes; }
              limit l1 { rate 10/second burst 5 packets; }
              ct helper h1 { type "ftp" protocol tcp; l3proto ip; }
              ct timeout to1 { protocol tcp; l3proto ip; policy = { established: 100, close: 4 }; }
              ct expectation e1 { protocol tcp; dport 21; timeout 10s; size 8; l3proto ip; }
              synproxy sp1 { mss 1460; wscale 7; timestamp sack-perm; }
            }
            """;
        using var byNft = new TestNamespace();
        byNft.NftScript(script);

        const NetfilterFamily f = NetfilterFamily.Inet;
        using var byLibrary = new TestNamespace();
        using (var client = new NfTablesClient(byLibrary.Namespace))
        {
            await client.CommitAsync(new NfTablesTransaction()
                .AddTable(new Table(f, "x"))
                .AddObject(new CounterObject(f, "x", "c1") { Packets = 1, Bytes = 2, UserData = UserData.Comment("hi") })
                .AddObject(new QuotaObject(f, "x", "q1", 100 * 1024 * 1024) { Consumed = 10, Flags = QuotaFlags.Inverted })
                .AddObject(new LimitObject(f, "x", "l1", 10, 1) { Burst = 5, LimitType = LimitType.Packets, Flags = 0 })
                .AddObject(new CtHelperObject(f, "x", "h1", "ftp", 2, 6))
                .AddObject(new CtTimeoutObject(f, "x", "to1", 2, 6, CtTimeoutObject.TcpTimeouts((3, 100), (8, 4))))
                .AddObject(new CtExpectationObject(f, "x", "e1") { Layer3Protocol = 2, Layer4Protocol = 6, DestinationPort = 21, TimeoutMilliseconds = 10000, Size = 8 })
                .AddObject(new SynproxyObject(f, "x", "sp1", 1460, 7, SynproxyFlags.Mss | SynproxyFlags.WindowScale | SynproxyFlags.Timestamp | SynproxyFlags.SackPermitted)));
        }
        NftOracle.ListRuleset(byLibrary).Should().Be(NftOracle.ListRuleset(byNft));
    }

    [NativeFact]
    public async Task Deleting_and_destroying_objects_by_name_and_handle()
    {
        using var ns = new TestNamespace();
        ns.NftScript("table inet x {\n counter a { }\n counter b { }\n quota q { 10 bytes; }\n}\n");
        using var client = new NfTablesClient(ns.Namespace);
        ulong handleOfB = 0;
        await foreach (NftObject o in client.ListObjectsAsync(NetfilterFamily.Inet, "x", NftObjectType.Counter))
        {
            if (o.Name == "b") handleOfB = o.Handle;
        }
        handleOfB.Should().NotBe(0UL);

        await client.CommitAsync(new NfTablesTransaction()
            .DeleteObject(NetfilterFamily.Inet, "x", NftObjectType.Counter, "a")
            .DeleteObject(NetfilterFamily.Inet, "x", NftObjectType.Counter, handleOfB)
            .DestroyObject(NetfilterFamily.Inet, "x", NftObjectType.Quota, "q")
            .DestroyObject(NetfilterFamily.Inet, "x", NftObjectType.Quota, "absent"));
        ns.Nft("list", "table", "inet", "x").Should().NotContain("counter").And.NotContain("quota");

        Func<Task> deleteAbsent = () => client.CommitAsync(new NfTablesTransaction().DeleteObject(NetfilterFamily.Inet, "x", NftObjectType.Counter, "a"));
        (await deleteAbsent.Should().ThrowAsync<NfTablesException>()).Which.Message.Should().Contain("delete counter inet x a");
    }

    [NativeFact]
    public async Task A_counter_object_counts_real_packets_and_reset_returns_and_zeroes_them()
    {
        using var ns = new TestNamespace();
        const NetfilterFamily f = NetfilterFamily.Inet;
        using var client = new NfTablesClient(ns.Namespace);
        await client.CommitAsync(new NfTablesTransaction()
            .AddTable(new Table(f, "t"))
            .AddChain(new Chain(f, "t", "o") { Hook = new ChainHook(ChainHooks.Output, 0), Type = "filter", Policy = VerdictKind.Accept })
            .AddObject(new CounterObject(f, "t", "probes"))
            .AddRule(new Rule(f, "t", "o", new NftExpression[]
            {
                // meta l4proto udp udp dport 9999 counter name "probes"
                MetaExpression.Load(MetaKey.L4Proto, Register.R1),
                new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(17)),
                PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
                new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(9999)),
                ObjrefExpression.Object(NftObjectType.Counter, "probes"),
            })));
        ns.Nft("list", "chain", "inet", "t", "o").Should().Contain("udp dport 9999 counter name \"probes\"");

        // Three datagrams to a closed port on loopback (each still passes output), and one elsewhere.
        ns.Namespace.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            for (int i = 0; i < 3; i++)
            {
                socket.SendTo(new byte[] { 1, 2, 3 }, new IPEndPoint(IPAddress.Loopback, 9999));
            }
            socket.SendTo(new byte[] { 1 }, new IPEndPoint(IPAddress.Loopback, 9998));
        });

        var reset = new List<NftObject>();
        await foreach (NftObject o in client.ResetObjectsAsync(f, "t", NftObjectType.Counter))
        {
            reset.Add(o);
        }
        reset.OfType<CounterObject>().Single().Packets.Should().Be(3UL);
        var after = new List<NftObject>();
        await foreach (NftObject o in client.ListObjectsAsync(f, "t", NftObjectType.Counter))
        {
            after.Add(o);
        }
        after.OfType<CounterObject>().Single().Packets.Should().Be(0UL);
    }

    [NativeFact]
    public async Task Reject_with_tcp_reset_refuses_a_listening_port_and_leaves_another()
    {
        using var ns = new TestNamespace();
        const NetfilterFamily f = NetfilterFamily.Inet;
        using var client = new NfTablesClient(ns.Namespace);
        await client.CommitAsync(new NfTablesTransaction()
            .AddTable(new Table(f, "t"))
            .AddChain(new Chain(f, "t", "o") { Hook = new ChainHook(ChainHooks.Output, 0), Type = "filter", Policy = VerdictKind.Accept })
            .AddRule(new Rule(f, "t", "o", new NftExpression[]
            {
                // meta l4proto tcp tcp dport 8080 reject with tcp reset
                MetaExpression.Load(MetaKey.L4Proto, Register.R1),
                new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(6)),
                PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
                new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(8080)),
                new RejectExpression(RejectType.TcpReset, 0),
            })));

        using Socket rejected = ns.Namespace.Run(() => Listen(8080));
        using Socket accepted = ns.Namespace.Run(() => Listen(8081));
        ns.Namespace.Run(() => Connect(8081)).Should().Be(SocketError.Success);
        ns.Namespace.Run(() => Connect(8080)).Should().Be(SocketError.ConnectionRefused, "the rule answers the SYN with a reset although a socket listens");
    }

    [NativeFact]
    public async Task Last_written_by_the_library_renders_and_lists_like_nft()
    {
        // nft 1.0.6 cannot write "last"; the kernel (5.14+) and libnftnl 1.2.4 know it.
        using var ns = new TestNamespace();
        ns.NftScript("table inet t {\n chain o { type filter hook output priority 0; }\n}\n");
        using var client = new NfTablesClient(ns.Namespace);
        await client.CommitAsync(new NfTablesTransaction().AddRule(new Rule(NetfilterFamily.Inet, "t", "o", new NftExpression[] { new LastExpression(), new NotrackExpression() })));

        Ruleset ruleset = await client.GetRulesetAsync();
        ruleset.Rules.Single().Expressions[0].Should().BeOfType<LastExpression>().Which.ToString().Should().Be("[ last never ]");
        NftDebugFormatter.Render(ruleset).Should().Be(NftOracle.DebugNetlink(ns));
        // nft 1.0.6 has no "last" statement to print it with: its listing shows the rest of the rule.
        ns.Nft("list", "chain", "inet", "t", "o").Should().Contain("notrack");
    }

    [NativeFact]
    public async Task Xtables_match_and_target_written_by_iptables_nft_render_like_nft()
    {
        using var ns = new TestNamespace();
        ns.Check("iptables", "-A", "INPUT", "-p", "tcp", "-m", "multiport", "--dports", "22,80", "-j", "LOG", "--log-prefix", "x");
        ns.Check("iptables", "-A", "INPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "ACCEPT");
        using var client = new NfTablesClient(ns.Namespace);
        Ruleset ruleset = await client.GetRulesetAsync();

        ruleset.Rules.SelectMany(r => r.Expressions).OfType<MatchExpression>().Select(m => m.MatchName).Should().Equal("multiport", "addrtype");
        ruleset.Rules.SelectMany(r => r.Expressions).OfType<TargetExpression>().Single().TargetName.Should().Be("LOG");
        NftDebugFormatter.Render(ruleset).Should().Be(NftOracle.DebugNetlink(ns));
    }

    private static TestNamespace WithDevice(string family)
    {
        var ns = new TestNamespace($"xb-{family}");
        try
        {
            // A device for fwd/dup (nft resolves "d0" to its ifindex). It stays down: an up device
            // sends IPv6 neighbour discovery, which would move the counters and quotas under test.
            ns.Ip("link", "add", "d0", "type", "veth", "peer", "name", "d1");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    private static Socket Listen(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen(4);
        return socket;
    }

    private static SocketError Connect(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }
}
