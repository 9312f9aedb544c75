#!/usr/bin/env bash
# Regenerates the golden files of the part-B expressions, stateful objects and flowtables
# (tests/Netfilter.Net.Tests/Golden/nftables-sections/*.golden) from nft 1.0.6 / iptables-nft on this
# machine. Each capture runs in its own throwaway network namespace (capture-nft-golden.py, which captures with netlink-capture.sh).
# Run as root:  native-tests/capture/capture-expr-b.sh
set -euo pipefail
cd "$(dirname "$0")"
out=../../tests/Netfilter.Net.Tests/Golden/nftables-sections
mkdir -p "$out"
cap() { ./capture-nft-golden.py "$out/$1.golden" "${@:2}"; }

INET='table inet t {
  counter cnt1 { }
  synproxy sp1 { mss 1460; wscale 7; }
  chain c { type filter hook prerouting priority -150; }
  chain r { type filter hook prerouting priority -300; }
  chain f { type filter hook forward priority 0; }
  chain o { type filter hook output priority 0; }
  chain i { type filter hook input priority 0; }
}'
IP='table ip t4 {
  chain c { type filter hook prerouting priority 0; }
  chain f { type filter hook forward priority 0; }
}'
IP6='table ip6 t6 {
  chain c { type filter hook prerouting priority 0; }
}'
NETDEV='table netdev nd {
  chain c { type filter hook ingress device lo priority 0; }
}'
TABLE='table inet t {
}'

# socket
cap socket-transparent --setup "$INET" -- add rule inet t c socket transparent 1 accept
cap socket-mark --setup "$INET" -- add rule inet t c socket mark 0x5
cap socket-wildcard --setup "$INET" -- add rule inet t c socket wildcard 0
cap socket-cgroupv2 --setup "$INET" --note 'the value is the inode id of / in cgroup2 on the capturing machine' -- add rule inet t c socket cgroupv2 level 1 '"/"'
# fib
cap fib-saddr-iif-oif --setup "$IP6" -- add rule ip6 t6 c fib saddr . iif oif missing drop
cap fib-daddr-type --setup "$INET" -- add rule inet t c fib daddr type local
cap fib-daddr-oif-present --setup "$INET" -- add rule inet t c fib daddr oif exists
cap fib-daddr-mark-oifname --setup "$INET" -- add rule inet t c fib daddr . mark oifname '"lo"'
# exthdr
cap exthdr-tcpopt-load --setup "$INET" -- add rule inet t c tcp option maxseg size 1400
cap exthdr-tcpopt-write --setup "$INET" -- add rule inet t f tcp option maxseg size set 1360
cap exthdr-tcpopt-present --setup "$INET" -- add rule inet t c tcp option sack-perm exists
cap exthdr-tcpopt-reset --setup "$INET" -- add rule inet t c reset tcp option sack-perm
cap exthdr-ipv4-present --setup "$INET" -- add rule inet t c ip option rr exists
cap exthdr-ipv6 --setup "$INET" -- add rule inet t c hbh nexthdr 6
cap exthdr-sctp --setup "$INET" -- add rule inet t c sctp chunk init num-inbound-streams 4
cap exthdr-sctp-present --setup "$INET" -- add rule inet t c sctp chunk data exists
# reject
cap reject-ip --setup "$IP" -- add rule ip t4 c reject
cap reject-inet --setup "$INET" -- add rule inet t c reject
cap reject-tcp-reset --setup "$INET" -- add rule inet t c reject with tcp reset
cap reject-icmpx --setup "$INET" -- add rule inet t c reject with icmpx type admin-prohibited
cap reject-icmpv6 --setup "$IP6" -- add rule ip6 t6 c reject with icmpv6 type admin-prohibited
# notrack
cap notrack --setup "$INET" -- add rule inet t r notrack
# numgen, hash
cap numgen-inc --setup "$INET" -- add rule inet t c meta mark set numgen inc mod 2 offset 100
cap numgen-random --setup "$INET" -- add rule inet t c meta mark set numgen random mod 10
cap hash-jhash --setup "$INET" -- add rule inet t c meta mark set jhash ip saddr . tcp dport mod 2 seed 0xdeadbeef offset 100
cap hash-symhash --setup "$INET" -- add rule inet t c meta mark set symhash mod 2 offset 100
# objref
cap objref-counter --setup "$INET" -- add rule inet t c counter name '"cnt1"'
cap objref-synproxy --setup "$INET" -- add rule inet t i synproxy name '"sp1"'
cap objref-map --setup "$INET" -- add rule inet t c counter name ip saddr map '{ 1.2.3.4 : "cnt1" }'
# queue (CONFIG_NFT_QUEUE is off on the capturing kernel: add path only)
cap queue-range --setup "$INET" -- add rule inet t c queue num 1-3 bypass,fanout
cap queue-num --setup "$INET" -- add rule inet t c queue num 4
cap queue-sreg --setup "$INET" -- add rule inet t c queue flags bypass to numgen inc mod 4
# dup, fwd
cap dup-ip --setup "$IP" -- add rule ip t4 f dup to 10.0.0.2 device '"lo"'
cap dup-netdev --setup "$NETDEV" -- add rule netdev nd c dup to '"lo"'
cap fwd-netdev --setup "$NETDEV" -- add rule netdev nd c fwd to '"lo"'
cap fwd-netdev-ip --setup "$NETDEV" -- add rule netdev nd c fwd ip to 10.0.0.1 device '"lo"'
cap fwd-netdev-ip6 --setup "$NETDEV" -- add rule netdev nd c fwd ip6 to fd00::1 device '"lo"'
# rt
cap rt-classid --setup "$INET" -- add rule inet t c rt classid 10
cap rt-nexthop4 --setup "$INET" -- add rule inet t o rt ip nexthop 10.0.0.1
cap rt-nexthop6 --setup "$INET" -- add rule inet t o rt ip6 nexthop fd00::1
cap rt-tcpmss --setup "$INET" -- add rule inet t f rt mtu 1400
# xfrm
cap xfrm-reqid --setup "$INET" -- add rule inet t c ipsec in reqid 1
cap xfrm-daddr4 --setup "$INET" -- add rule inet t o ipsec out ip daddr 1.2.3.4
cap xfrm-spi --setup "$INET" -- add rule inet t c ipsec in spnum 1 spi 1
# osf
cap osf-name --setup "$INET" -- add rule inet t c osf name '"Linux"'
cap osf-version --setup "$INET" -- add rule inet t c osf ttl skip version '"Linux:4.20"'
# synproxy
cap synproxy --setup "$INET" -- add rule inet t i synproxy mss 1460 wscale 7 timestamp sack-perm
# flow_offload (CONFIG_NF_FLOW_TABLE is off on the capturing kernel: add path only)
cap flow-offload --setup "$INET" -- add rule inet t f flow add @ft
# xtables compat: iptables-nft (nft cannot write these; it lists them)
cap match-target --tool iptables --target 'ip filter INPUT' -- -A INPUT -p tcp -m multiport --dports 22,80 -j LOG --log-prefix x
cap match-addrtype --tool iptables --target 'ip filter INPUT' -- -A INPUT -m addrtype --dst-type LOCAL -j ACCEPT

# stateful objects
cap obj-counter --kind obj --setup "$TABLE" -- add counter inet t cnt1 '{ packets 1 bytes 2 ; comment "hi" ; }'
cap obj-quota --kind obj --setup "$TABLE" -- add quota inet t q1 '{ over 100 mbytes used 10 bytes ; }'
cap obj-limit --kind obj --setup "$TABLE" -- add limit inet t l1 '{ rate 10/second burst 5 packets ; }'
cap obj-limit-bytes --kind obj --setup "$TABLE" -- add limit inet t l2 '{ rate over 1 mbytes/second burst 512 kbytes ; }'
cap obj-ct-helper --kind obj --setup "$TABLE" -- add ct helper inet t h1 '{ type "ftp" protocol tcp ; l3proto ip ; }'
cap obj-ct-timeout --kind obj --setup "$TABLE" -- add ct timeout inet t to1 '{ protocol tcp ; l3proto ip ; policy = { established: 100, close: 4 } ; }'
cap obj-ct-expectation --kind obj --setup "$TABLE" -- add ct expectation inet t e1 '{ protocol tcp ; dport 21 ; timeout 10s ; size 8 ; l3proto ip ; }'
cap obj-synproxy --kind obj --setup "$TABLE" -- add synproxy inet t sp1 '{ mss 1460 ; wscale 7 ; timestamp sack-perm ; }'
cap obj-secmark --kind obj --setup "$TABLE" --note 'no LSM is active on the capturing kernel: add path only' -- add secmark inet t sm1 '{ "system_u:object_r:ssh_server_packet_t:s0" }'
# flowtables (CONFIG_NF_FLOW_TABLE is off on the capturing kernel: add path only)
cap flowtable --kind flowtable --setup "$TABLE" -- add flowtable inet t ft '{ hook ingress priority 0 ; devices = { lo } ; }'
# deletes (what nft sends; the object exists for the name case)
cap delobj-counter-name --kind delobj --setup 'table inet t {
  counter cnt1 { }
}' -- delete counter inet t cnt1
cap delobj-counter-handle --kind delobj --target 'inet t handle' --setup "$TABLE" -- delete counter inet t handle 5
cap delflowtable-name --kind delflowtable --setup "$TABLE" -- delete flowtable inet t ft
cap delflowtable-handle --kind delflowtable --target 'inet t handle' --setup "$TABLE" -- delete flowtable inet t handle 7
