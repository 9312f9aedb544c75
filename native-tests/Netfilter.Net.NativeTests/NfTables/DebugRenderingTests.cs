using Netfilter.Net.NfTables;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.NfTables;

/// <summary>The library's rendering of what it decoded equals nft --debug=netlink list ruleset, line for line.</summary>
public sealed class DebugRenderingTests
{
    [NativeFact]
    public async Task A_ruleset_with_sets_maps_comments_and_several_tables_renders_like_nft()
    {
        using var ns = new TestNamespace();
        ns.NftScript("""
            table ip a {
              set s1 { type ipv4_addr; elements = { 1.2.3.4 } }
              chain c1 { type filter hook input priority 0; tcp dport { 22, 80 } accept; ip saddr @s1 drop comment "x y"; }
              chain c2 { jump c3; }
              chain c3 { }
              map vm { type inet_service : verdict; elements = { 22 : accept, 23 : drop } }
            }
            table inet b {
              chain z { counter; }
              set e { type ipv4_addr; }
            }
            table inet nat {
              map fwds { type inet_proto . inet_service : ipv4_addr . inet_service; elements = { tcp . 80 : 10.0.0.1 . 8080 }; }
              set allowed { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.1 }; }
              chain pre { type nat hook prerouting priority dstnat; policy accept;
                ip saddr @allowed meta l4proto tcp dnat ip to meta l4proto . th dport map @fwds comment "hello"
              }
            }
            """);
        using var client = new NfTablesClient(ns.Namespace);
        Ruleset ruleset = await client.GetRulesetAsync();
        string ours = NftDebugFormatter.Render(ruleset);
        string theirs = NftOracle.DebugNetlink(ns);
        ours.Should().Be(theirs);
    }
}

/// <summary>What the library decoded, re-encoded into a fresh namespace, means the same to nft.</summary>
public sealed class RoundTripTests
{
    [NativeFact]
    public async Task A_decoded_ruleset_recreated_in_a_fresh_namespace_lists_identically()
    {
        using var source = new TestNamespace();
        source.NftScript("""
            table ip a {
              set s1 { type ipv4_addr; elements = { 1.2.3.4 } }
              chain c1 { type filter hook input priority 0; tcp dport { 22, 80 } accept; ip saddr @s1 drop comment "x y"; }
              chain c2 { jump c3; }
              chain c3 { }
              map vm { type inet_service : verdict; elements = { 22 : accept, 23 : drop } }
            }
            table inet nat {
              map fwds { type inet_proto . inet_service : ipv4_addr . inet_service; elements = { tcp . 80 : 10.0.0.1 . 8080 }; }
              set allowed { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.1 }; }
              chain pre { type nat hook prerouting priority dstnat; policy accept;
                ip saddr @allowed meta l4proto tcp dnat ip to meta l4proto . th dport map @fwds comment "hello"
              }
            }
            """);
        Ruleset ruleset;
        using (var client = new NfTablesClient(source.Namespace))
        {
            ruleset = await client.GetRulesetAsync();
        }
        using var target = new TestNamespace();
        using (var client = new NfTablesClient(target.Namespace))
        {
            await client.CommitAsync(NfTablesTransaction.Recreate(ruleset));
        }
        NftOracle.ListRuleset(target).Should().Be(NftOracle.ListRuleset(source));
    }
}
