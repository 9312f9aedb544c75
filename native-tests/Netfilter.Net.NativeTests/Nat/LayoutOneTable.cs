namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// A NAT table as Netfilter.Net wrote it before layout 2 (layout 1: table comment
/// "nfnet NAT table NAME", masquerade sets keyed by the backend alone), written by hand with nft.
/// Its rules: two masqueraded forwards to one backend (2222 and 2223 to 10.0.2.2:22, sharing one
/// masq4 element, the defect of issue 9), a redirect of tcp 80 to 8080, and a forward of 3000
/// limited to 10.0.1.0/24 with its return-path masquerade rule. (Its tproxy chain is left out: nft
/// 1.0.6 cannot name a chain "tproxy" in a script, which is why layout 3 calls it tproxy_rules.)
/// </summary>
public static class LayoutOneTable
{
    public static readonly string[] Rules =
    {
        "redirect tcp 80 to 8080",
        "dnat tcp 2222 to 10.0.2.2:22 masquerade",
        "dnat tcp 2223 to 10.0.2.2:22 masquerade",
        "dnat tcp 3000 to 10.0.2.2:22 from 10.0.1.0/24 masquerade",
    };

    public static string Script(string table) => $$"""
        table inet {{table}} {
          comment "nfnet NAT table {{table}}"
          map redirect_pre { type inet_proto . inet_service : inet_service; elements = { tcp . 80 comment "redirect tcp 80 to 8080" : 8080 } }
          map redirect_out { type inet_proto . inet_service : inet_service; }
          map dnat4_pre { type inet_proto . inet_service : ipv4_addr . inet_service; elements = { tcp . 2222 comment "dnat tcp 2222 to 10.0.2.2:22 masquerade" : 10.0.2.2 . 22, tcp . 2223 comment "dnat tcp 2223 to 10.0.2.2:22 masquerade" : 10.0.2.2 . 22 } }
          map dnat4_out { type inet_proto . inet_service : ipv4_addr . inet_service; }
          map dnat6_pre { type inet_proto . inet_service : ipv6_addr . inet_service; }
          map dnat6_out { type inet_proto . inet_service : ipv6_addr . inet_service; }
          set masq4 { type ipv4_addr . inet_proto . inet_service; elements = { 10.0.2.2 . tcp . 22 comment "dnat tcp 2222 to 10.0.2.2:22 masquerade" } }
          set masq6 { type ipv6_addr . inet_proto . inet_service; }
          chain pre_rules {
            fib daddr type local meta nfproto ipv4 ip saddr 10.0.1.0/24 tcp dport 3000 dnat ip to 10.0.2.2:22 comment "dnat tcp 3000 to 10.0.2.2:22 from 10.0.1.0/24 masquerade"
          }
          chain out_rules { }
          chain post_rules {
            ct status dnat meta nfproto ipv4 ip daddr 10.0.2.2 tcp dport 22 masquerade comment "dnat tcp 3000 to 10.0.2.2:22 from 10.0.1.0/24 masquerade"
          }
          chain prerouting { type nat hook prerouting priority dstnat; policy accept;
            jump pre_rules comment "nfnet layout: jump pre_rules"
            meta l4proto { tcp, udp } redirect to : meta l4proto . th dport map @redirect_pre comment "nfnet layout: redirect map @redirect_pre"
            fib daddr type local meta nfproto ipv4 dnat ip to meta l4proto . th dport map @dnat4_pre comment "nfnet layout: dnat map @dnat4_pre"
            fib daddr type local meta nfproto ipv6 dnat ip6 to meta l4proto . th dport map @dnat6_pre comment "nfnet layout: dnat map @dnat6_pre"
          }
          chain output { type nat hook output priority -100; policy accept;
            jump out_rules comment "nfnet layout: jump out_rules"
          }
          chain postrouting { type nat hook postrouting priority srcnat; policy accept;
            jump post_rules comment "nfnet layout: jump post_rules"
            ct status dnat meta nfproto ipv4 ip daddr . meta l4proto . th dport @masq4 masquerade comment "nfnet layout: masquerade @masq4"
            ct status dnat meta nfproto ipv6 ip6 daddr . meta l4proto . th dport @masq6 masquerade comment "nfnet layout: masquerade @masq6"
          }
        }

        """;
}
