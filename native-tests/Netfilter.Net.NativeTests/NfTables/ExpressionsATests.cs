using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.NfTables;

/// <summary>
/// bitwise, byteorder, range, dynset, ct, log, limit, quota, connlimit, masq, redir and tproxy
/// against the kernel: rules added with nft in ip, ip6 and inet tables decode into typed
/// expressions that render exactly like <c>nft --debug=netlink list ruleset</c>, and the decoded
/// ruleset recreated in a fresh namespace lists identically.
/// </summary>
public sealed class ExpressionsATests
{
    private const string Script = """
        table ip a {
          set dyn { type ipv4_addr; flags dynamic; }
          set dynt { type ipv4_addr; flags dynamic,timeout; timeout 1m; }
          map dynm { type ipv4_addr : mark; flags dynamic; }
          chain c {
            meta mark and 0xff == 3
            meta mark set meta mark or 0x10
            meta mark set ct mark << 8
            meta length 33-45
            tcp dport != 100-200
            add @dyn { ip saddr }
            delete @dyn { ip saddr }
            update @dynt { ip saddr timeout 30s counter }
            update @dynm { ip saddr : meta mark }
            add @dyn { ip saddr counter limit rate 10/second }
            ct state established,related accept
            ct original saddr 10.0.0.1
            ct original protocol 6
            ct id 1
            ct mark set 0x10
            ct event set new,related
            log
            log prefix "nft: " level debug flags all
            log prefix "g" group 2 snaplen 100 queue-threshold 10
            limit rate 10/second
            limit rate 400/minute burst 20 packets
            quota 100 mbytes
            quota over 1000 mbytes used 10 mbytes
            ct count 10
            ct count over 10
          }
          chain pre {
            type filter hook prerouting priority -150;
            meta l4proto tcp tproxy to 10.0.0.1:8080
            meta l4proto udp tproxy to 10.0.0.1
            ct original zone set 2
          }
          chain natpre {
            type nat hook prerouting priority -100;
            tcp dport 80 redirect to :8080
            tcp dport 81 redirect to :8080-8090 random
            redirect
          }
          chain natpost {
            type nat hook postrouting priority 100;
            meta l4proto tcp masquerade to :1024
            masquerade random,persistent,fully-random
            masquerade
          }
        }
        table ip6 b {
          set dyn { type ipv6_addr; flags dynamic; }
          chain c {
            meta mark != 0x10-0x20
            meta mark set ct mark >> 8
            add @dyn { ip6 saddr limit rate over 10/second burst 20 packets } drop
            ct reply ip6 daddr fd00::1
            log level audit
            limit rate 1/hour
            quota 10 kbytes
          }
          chain pre {
            type filter hook prerouting priority -150;
            meta l4proto tcp tproxy to [fd00::1]:8080
          }
          chain natpre {
            type nat hook prerouting priority -100;
            tcp dport 80 redirect to :8080-8090 random
          }
          chain natpost {
            type nat hook postrouting priority 100;
            meta l4proto tcp masquerade to :1024-2048
          }
        }
        table inet c {
          set dyn { type ipv4_addr; size 65535; flags dynamic; }
          chain c {
            meta mark set ct mark >> 8
            add @dyn { ip saddr limit rate over 10/second burst 20 packets } drop
            meta l4proto udp ct reply proto-dst 53
            ct mark set meta mark
            log flags tcp sequence,options
            limit rate over 1 mbytes/second burst 10 kbytes
            limit rate 3/week
            ct count over 10
          }
          chain pre {
            type filter hook prerouting priority -150;
            meta l4proto tcp tproxy to :8080
            meta l4proto tcp tproxy ip to 10.0.0.1:8080
            meta l4proto tcp tproxy ip6 to [fd00::1]
          }
          chain natpre {
            type nat hook prerouting priority -100;
            udp dport 53 redirect to :5353
          }
          chain natpost {
            type nat hook postrouting priority 100;
            oifname "wan0" masquerade
          }
        }
        """;

    private static readonly Type[] PartA =
    {
        typeof(BitwiseExpression), typeof(ByteorderExpression), typeof(RangeExpression), typeof(DynsetExpression),
        typeof(CtExpression), typeof(LogExpression), typeof(LimitExpression), typeof(QuotaExpression),
        typeof(ConnlimitExpression), typeof(MasqExpression), typeof(RedirExpression), typeof(TproxyExpression),
    };

    [NativeFact]
    public async Task Rules_using_each_expression_render_like_nft_and_recreate_identically()
    {
        using var source = new TestNamespace();
        source.NftScript(Script);
        Ruleset ruleset;
        using (var client = new NfTablesClient(source.Namespace))
        {
            ruleset = await client.GetRulesetAsync();
        }

        NftDebugFormatter.Render(ruleset).Should().Be(NftOracle.DebugNetlink(source));
        List<NftExpression> expressions = ruleset.Rules.SelectMany(r => r.Expressions)
            .SelectMany(e => e is DynsetExpression d ? d.Expressions.Prepend(e) : new[] { e }).ToList();
        expressions.OfType<UnknownExpression>().Should().BeEmpty("every expression in this ruleset has a typed decoder");
        expressions.Select(e => e.GetType()).Distinct().Should().Contain(PartA);
        foreach (NetfilterFamily family in new[] { NetfilterFamily.IPv4, NetfilterFamily.IPv6, NetfilterFamily.Inet })
        {
            ruleset.Rules.Should().Contain(r => r.Family == family && r.Expressions.Any(e => e is TproxyExpression));
        }

        using var target = new TestNamespace();
        using (var client = new NfTablesClient(target.Namespace))
        {
            await client.CommitAsync(NfTablesTransaction.Recreate(ruleset));
        }
        NftOracle.ListRuleset(target).Should().Be(NftOracle.ListRuleset(source));
    }

    [NativeFact]
    public async Task Bitwise_and_or_xor_of_kernel_6_13_and_range_eq_are_accepted_and_render_like_nft_1_0_6()
    {
        // nft 1.0.6 cannot write these; the library can. libnftnl 1.2.4 has no text for the
        // and/or/xor operations and prints "[ bitwise ]", which our rendering must match.
        using var ns = new TestNamespace();
        ns.NftScript("add table ip t\nadd chain ip t c\n");
        Register r1 = Register.R1, r2 = Register.R2;
        var sent = new NftExpression[]
        {
            MetaExpression.Load(MetaKey.Mark, r1),
            CtExpression.Load(CtKey.Mark, r2),
            BitwiseExpression.Combine(BitwiseOperation.And, r1, r2, r1, 4),
            BitwiseExpression.Combine(BitwiseOperation.Or, r1, NftData.FromHostUInt32(0x10), r1),
            BitwiseExpression.Combine(BitwiseOperation.Xor, r1, r2, r1, 4),
            MetaExpression.Set(MetaKey.Mark, r1),
            PayloadExpression.Load(PayloadBase.Transport, 2, 2, r1),
            new RangeExpression(RangeOperator.Equal, r1, NftData.FromPort(100), NftData.FromPort(200)),
        };
        Ruleset ruleset;
        using (var client = new NfTablesClient(ns.Namespace))
        {
            await client.CommitAsync(new NfTablesTransaction().AddRule(new Rule(NetfilterFamily.IPv4, "t", "c", sent)));
            ruleset = await client.GetRulesetAsync();
        }

        // nft 1.0.6 prints the rule's debug text, then aborts delinearizing the and/or/xor
        // bitwise ("BUG: invalid bitwise operation 3", netlink_delinearize.c assertion): unbuffered
        // stdout keeps what it printed.
        Tool.Result listing = ns.Exec("stdbuf", "-o0", "nft", "--debug=netlink", "list", "ruleset");
        listing.ExitCode.Should().BeOneOf(new[] { 0, 134 }, listing.StandardError);
        string nft = DebugPart(listing.StandardOutput);
        NftDebugFormatter.Render(ruleset).Should().Be(nft);
        nft.Should().Contain("  [ bitwise ]\n").And.Contain("  [ range eq reg 1 0x00006400 0x0000c800 ]\n");
        IReadOnlyList<NftExpression> back = ruleset.Rules.Single().Expressions;
        back.Should().HaveCount(sent.Length);
        var and = back[2].Should().BeOfType<BitwiseExpression>().Subject;
        and.Operation.Should().Be(BitwiseOperation.And);
        and.Source2.Should().Be(r2);
        and.Data.Should().BeNull("the kernel dumps NFTA_BITWISE_SREG2 or NFTA_BITWISE_DATA, whichever was given");
        var or = back[3].Should().BeOfType<BitwiseExpression>().Subject;
        or.Operation.Should().Be(BitwiseOperation.Or);
        or.Data.Should().Be(NftData.FromHostUInt32(0x10));
        or.Source2.Should().BeNull();
        back[7].ToString().Should().Be(sent[7].ToString());

        // What was read back can be written again.
        using var target = new TestNamespace();
        using (var client = new NfTablesClient(target.Namespace))
        {
            await client.CommitAsync(NfTablesTransaction.Recreate(ruleset));
        }
        using (var client = new NfTablesClient(target.Namespace))
        {
            NftDebugFormatter.Render(await client.GetRulesetAsync()).Should().Be(nft);
        }
    }

    // The debug part of nft's output: everything before the listing (NftOracle.DebugNetlink's rule),
    // or all of it when nft died before listing.
    private static string DebugPart(string output)
    {
        int listing = output.StartsWith("table ", StringComparison.Ordinal) ? 0 : output.IndexOf("\ntable ", StringComparison.Ordinal);
        return listing < 0 ? output : output.Substring(0, listing == 0 ? 0 : listing + 1);
    }
}
