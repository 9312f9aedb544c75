#!/usr/bin/env python3
"""Captures golden bytes for nftables expressions from the reference tool (nft).

For every case below, in a throwaway network namespace of its own:
  1. applies the case's setup with `nft -f -` (table t, chain c, sets, ...);
  2. add path: captures `nft --debug=netlink add rule FAMILY t c RULE` with the one capture
     tool (netlink-capture.sh, through netlink_capture.py) and keeps the NFTA_RULE_EXPRESSIONS
     payload of the NFT_MSG_NEWRULE that nft sent, plus the `  [ ... ]` lines nft printed;
  3. list path: captures `nft --debug=netlink list chain FAMILY t c` the same way and keeps the
     NFTA_RULE_EXPRESSIONS of the NFT_MSG_NEWRULE the kernel dumped for chain c, plus the lines
     nft printed for it;
  4. writes tests/Netfilter.Net.Tests/Golden/nftables/<case>.golden.

Run as root from the repository root:  python3 native-tests/capture/capture-nft-expressions.py [case ...]
It never touches the root namespace's ruleset: everything happens in `ip netns exec`.
"""
import os
import re
import subprocess
import sys

import netlink_capture

OUT = os.path.join("tests", "Netfilter.Net.Tests", "Golden", "nftables")
NS = f"nfnt-golden-{os.getpid()}"

# Chain declarations used by the cases.
PLAIN = "{ }"
FILTER_INPUT = "{ type filter hook input priority 0; }"
FILTER_PRE = "{ type filter hook prerouting priority -150; }"
NAT_PRE = "{ type nat hook prerouting priority -100; }"
NAT_POST = "{ type nat hook postrouting priority 100; }"

# (case name, family, chain declaration, extra setup lines inside the table, rule)
CASES = [
    # --- reference expressions: meta, cmp, payload, immediate, lookup, nat, counter ---
    ("meta-load-mark", "ip", PLAIN, "", "meta mark 0x10"),
    ("meta-load-iifname", "ip", PLAIN, "", 'iifname "eth0"'),
    ("meta-load-iifname-prefix", "ip", PLAIN, "", 'iifname "eth*"'),
    ("meta-set-mark", "ip", PLAIN, "", "meta mark set 0x10"),
    ("meta-set-priority", "ip6", PLAIN, "", "meta priority set 1:2"),
    ("cmp-neq", "ip", PLAIN, "", "meta mark != 0x10"),
    ("cmp-lt", "ip", PLAIN, "", "meta mark < 0x10"),
    ("cmp-lte", "ip", PLAIN, "", "meta mark <= 0x10"),
    ("cmp-gt", "ip", PLAIN, "", "meta mark > 0x10"),
    ("cmp-gte", "ip", PLAIN, "", "meta mark >= 0x10"),
    ("cmp-ip6-daddr", "ip6", PLAIN, "", "ip6 daddr fd00::1"),
    ("payload-load-tcp-dport", "ip", PLAIN, "", "tcp dport 22"),
    ("payload-load-range-gte-lte", "inet", PLAIN, "", "tcp dport 100-200"),
    ("payload-write-tcp-dport", "ip", PLAIN, "", "tcp dport 80 tcp dport set 8080"),
    ("payload-write-ip-ttl", "ip", PLAIN, "", "ip ttl set 64"),
    ("payload-write-ip-saddr", "ip", PLAIN, "", "ip saddr set 10.0.0.1"),
    ("payload-write-ip6-hoplimit", "ip6", PLAIN, "", "ip6 hoplimit set 1"),
    ("immediate-accept", "ip", PLAIN, "", "accept"),
    ("immediate-drop", "ip", PLAIN, "", "drop"),
    ("immediate-return", "ip", PLAIN, "", "return"),
    ("immediate-continue", "ip", PLAIN, "", "continue"),
    ("immediate-jump", "ip", PLAIN, "chain other { }", "jump other"),
    ("immediate-goto", "inet", PLAIN, "chain other { }", "goto other"),
    ("lookup-set", "ip", PLAIN, "set s { type ipv4_addr; }", "ip saddr @s"),
    ("lookup-set-inverted", "ip", PLAIN, "set s { type ipv4_addr; }", "ip saddr != @s"),
    ("lookup-map-dreg", "ip", PLAIN, "map m { type ipv4_addr : mark; }", "meta mark set ip saddr map @m"),
    ("lookup-vmap", "ip6", PLAIN, "map vm { type ipv6_addr : verdict; }", "ip6 saddr vmap @vm"),
    ("lookup-anonymous-set", "inet", PLAIN, "", "tcp dport { 22, 80 } accept"),
    ("nat-dnat-addr", "ip", NAT_PRE, "", "dnat to 10.0.0.1"),
    ("nat-dnat-addr-port", "ip", NAT_PRE, "", "tcp dport 80 dnat to 10.0.0.1:8080"),
    ("nat-dnat-port-range", "ip", NAT_PRE, "", "tcp dport 80 dnat to 10.0.0.1:8000-8100"),
    ("nat-snat-addr-range", "ip", NAT_POST, "", "snat to 10.0.0.1-10.0.0.10"),
    ("nat-snat-random", "ip", NAT_POST, "", "snat to 10.0.0.1 random"),
    ("nat-snat-fully-random", "ip", NAT_POST, "", "snat to 10.0.0.1 fully-random"),
    ("nat-snat-persistent", "ip", NAT_POST, "", "snat to 10.0.0.1 persistent"),
    ("nat-snat-random-persistent", "ip", NAT_POST, "", "meta l4proto tcp snat to 10.0.0.1-10.0.0.10:1000-2000 random,persistent"),
    ("nat-snat-netmap", "ip", NAT_POST, "", "snat ip prefix to ip saddr map { 10.141.11.0/24 : 192.168.2.0/24 }"),
    ("nat-ip6-dnat", "ip6", NAT_PRE, "", "tcp dport 80 dnat to [fd00::1]:8080"),
    ("nat-ip6-snat-range", "ip6", NAT_POST, "", "snat to fd00::1-fd00::10"),
    ("nat-inet-dnat-ip", "inet", NAT_PRE, "", "meta l4proto tcp dnat ip to 10.0.0.1:8080"),
    ("nat-inet-dnat-ip6", "inet", NAT_PRE, "", "dnat ip6 to fd00::1"),
    ("counter", "ip", PLAIN, "", "counter"),
    # --- bitwise, byteorder, range ---
    ("bitwise-mask", "ip", PLAIN, "", "meta mark and 0xff == 3"),
    ("bitwise-mask-xor", "ip", PLAIN, "", "meta mark set meta mark or 0x10"),
    ("bitwise-lshift", "ip", PLAIN, "", "meta mark set ct mark << 8"),
    ("bitwise-rshift", "inet", PLAIN, "", "meta mark set ct mark >> 8"),
    ("byteorder-hton", "ip", PLAIN, "", "meta length 33-45"),
    ("range-neq", "ip", PLAIN, "", "tcp dport != 100-200"),
    ("range-neq-byteorder", "ip6", PLAIN, "", "meta mark != 0x10-0x20"),
    # --- dynset ---
    ("dynset-add", "ip", PLAIN, "set s { type ipv4_addr; flags dynamic; }", "add @s { ip saddr }"),
    ("dynset-update-timeout", "ip", PLAIN, "set s { type ipv4_addr; flags dynamic,timeout; }", "update @s { ip saddr timeout 30s }"),
    ("dynset-delete", "ip", PLAIN, "set s { type ipv4_addr; flags dynamic; }", "delete @s { ip saddr }"),
    ("dynset-map-data", "ip", PLAIN, "map m { type ipv4_addr : mark; flags dynamic; }", "update @m { ip saddr : meta mark }"),
    ("dynset-expr", "ip", PLAIN, "set s { type ipv4_addr; flags dynamic,timeout; }", "update @s { ip saddr timeout 1m counter }"),
    ("dynset-expressions", "ip6", PLAIN, "set s { type ipv6_addr; flags dynamic; }", "add @s { ip6 saddr counter limit rate 10/second }"),
    ("dynset-expr-limit", "inet", PLAIN, "set s { type ipv4_addr; size 65535; flags dynamic; }", "add @s { ip saddr limit rate over 10/second burst 20 packets } drop"),
    # --- ct ---
    ("ct-load-state", "ip", PLAIN, "", "ct state established,related accept"),
    ("ct-load-protocol-dir", "ip", PLAIN, "", "ct original protocol 6"),
    ("ct-load-saddr-dir", "ip", PLAIN, "", "ct original saddr 10.0.0.1"),
    ("ct-load-reply-proto-dst", "inet", PLAIN, "", "meta l4proto udp ct reply proto-dst 53"),
    ("ct-load-ip6-daddr", "ip6", PLAIN, "", "ct reply ip6 daddr fd00::1"),
    ("ct-load-id", "ip", PLAIN, "", "ct id 1"),
    ("ct-load-status", "ip", PLAIN, "", "ct status dnat"),
    ("ct-set-mark", "ip", PLAIN, "", "ct mark set 0x10"),
    ("ct-set-mark-from-meta", "inet", PLAIN, "", "ct mark set meta mark"),
    ("ct-set-zone-dir", "ip", FILTER_PRE, "", "ct original zone set 2"),
    ("ct-set-event", "ip", PLAIN, "", "ct event set new,related"),
    # --- log ---
    ("log", "ip", PLAIN, "", "log"),
    ("log-prefix-level-flags", "ip", PLAIN, "", 'log prefix "nft: " level debug flags all'),
    ("log-group", "ip6", PLAIN, "", 'log prefix "g" group 2 snaplen 100 queue-threshold 10'),
    ("log-level-audit", "inet", PLAIN, "", "log level audit"),
    ("log-flags-tcp", "ip", PLAIN, "", "log flags tcp sequence,options"),
    # --- limit, quota, connlimit ---
    ("limit-second", "ip", PLAIN, "", "limit rate 10/second"),
    ("limit-minute-burst", "ip", PLAIN, "", "limit rate 400/minute burst 20 packets"),
    ("limit-hour", "ip", PLAIN, "", "limit rate 1/hour"),
    ("limit-day", "ip", PLAIN, "", "limit rate 2/day"),
    ("limit-week", "ip", PLAIN, "", "limit rate 3/week"),
    ("limit-bytes-over", "inet", PLAIN, "", "limit rate over 1 mbytes/second burst 10 kbytes"),
    ("quota", "ip", PLAIN, "", "quota 100 mbytes"),
    ("quota-over-used", "ip", PLAIN, "", "quota over 1000 mbytes used 10 mbytes"),
    ("connlimit", "ip", PLAIN, "", "ct count 10"),
    ("connlimit-over", "inet", PLAIN, "", "ct count over 10"),
    # --- masq, redir, tproxy ---
    ("masq", "ip", NAT_POST, "", "masquerade"),
    ("masq-flags", "ip", NAT_POST, "", "masquerade random,persistent,fully-random"),
    ("masq-port", "ip", NAT_POST, "", "meta l4proto tcp masquerade to :1024"),
    ("masq-port-range", "ip6", NAT_POST, "", "meta l4proto tcp masquerade to :1024-2048"),
    ("masq-inet", "inet", NAT_POST, "", 'oifname "wan0" masquerade'),
    ("redir", "ip", NAT_PRE, "", "redirect"),
    ("redir-port", "ip", NAT_PRE, "", "tcp dport 80 redirect to :8080"),
    ("redir-port-range-random", "ip6", NAT_PRE, "", "tcp dport 80 redirect to :8080-8090 random"),
    ("redir-inet", "inet", NAT_PRE, "", "udp dport 53 redirect to :5353"),
    ("tproxy-ip", "ip", FILTER_PRE, "", "meta l4proto tcp tproxy to 10.0.0.1:8080"),
    ("tproxy-ip-addr", "ip", FILTER_PRE, "", "meta l4proto udp tproxy to 10.0.0.1"),
    ("tproxy-ip6", "ip6", FILTER_PRE, "", "meta l4proto tcp tproxy to [fd00::1]:8080"),
    ("tproxy-inet-port", "inet", FILTER_PRE, "", "meta l4proto tcp tproxy to :8080"),
    ("tproxy-inet-ip", "inet", FILTER_PRE, "", "meta l4proto tcp tproxy ip to 10.0.0.1:8080"),
    ("tproxy-inet-ip6", "inet", FILTER_PRE, "", "meta l4proto tcp tproxy ip6 to [fd00::1]"),
]

NEWRULE = (10 << 8) | 6  # NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWRULE


def run(args, stdin=None, check=True):
    p = subprocess.run(args, input=stdin, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return p


def attributes(data):
    """(type without flags, payload, whole attribute bytes) of each attribute."""
    out, off = [], 0
    while off + 4 <= len(data):
        length = int.from_bytes(data[off:off + 2], "little")
        atype = int.from_bytes(data[off + 2:off + 4], "little") & 0x3FFF
        if length < 4:
            break
        out.append((atype, data[off + 4:off + length], data[off:off + length]))
        off += (length + 3) & ~3
    return out


def newrule_expressions(datagrams, chain):
    """NFTA_RULE_EXPRESSIONS payloads of the NFT_MSG_NEWRULE messages for chain `chain`."""
    found = []
    for d in datagrams:
        off = 0
        while off + 16 <= len(d):
            length = int.from_bytes(d[off:off + 4], "little")
            mtype = int.from_bytes(d[off + 4:off + 6], "little")
            if length < 16:
                break
            if mtype == NEWRULE:
                attrs = attributes(d[off + 20:off + length])
                names = {t: p for t, p, _ in attrs}
                if names.get(2, b"").rstrip(b"\0") == chain.encode() and 4 in names:
                    found.append(names[4])
            off += (length + 3) & ~3
    return found


def debug_lines(output, family, chain):
    """The `  [ ... ]` lines nft printed for the rule of `family t chain` (add or list)."""
    lines, taking = [], False
    for line in output.splitlines():
        if re.match(rf"^{family} t {chain}( \d+)*\s*$", line):
            taking = True
            lines = []
            continue
        if taking:
            if line.startswith("  [ "):
                lines.append(line[2:])
            else:
                taking = False
    return lines


def capture(cmd_args, sent, chain, family):
    """The debug lines nft printed and the expressions of the one NEWRULE for chain `chain` it sent
    (sent=True) or received."""
    c = netlink_capture.capture(NS, "a throwaway network namespace set up by native-tests/capture/capture-nft-expressions.py", ["nft"] + cmd_args)
    if c.exit != 0:
        raise RuntimeError(f"nft {' '.join(cmd_args)} failed ({c.exit}): {' '.join(c.output)}")
    exprs = newrule_expressions(c.sent() if sent else c.received(), chain)
    if len(exprs) != 1:
        raise RuntimeError(f"nft {' '.join(cmd_args)}: expected one NEWRULE for chain {chain}, found {len(exprs)}")
    return debug_lines("\n".join(c.output), family, chain), exprs[0]


def section(out, title, command, how, lines, expressions):
    out.append(f"[{title}]")
    out.append(f"# command: {command}")
    out.append(f"# bytes: {how}")
    for line in lines:
        out.append(f"debug: {line}")
    for _, _, whole in attributes(expressions):
        out.append(f"bytes: {whole.hex()}")


def main(selected):
    nft_version = run(["nft", "--version"]).stdout.strip()
    libnftnl = run(["dpkg-query", "-W", "-f", "${Version}", "libnftnl11"], check=False).stdout.strip() or "unknown"
    kernel = os.uname().release
    os.makedirs(OUT, exist_ok=True)
    failed = []
    for name, family, chain_decl, extra, rule in CASES:
        if selected and name not in selected:
            continue
        run(["ip", "netns", "add", NS])
        try:
            setup = f"table {family} t {{\n  chain c {chain_decl}\n  {extra}\n}}\n"
            run(["ip", "netns", "exec", NS, "nft", "-f", "-"], stdin=setup)
            add_args = ["--debug=netlink", "add", "rule", family, "t", "c"] + [rule]
            add_lines, add_bytes = capture(add_args, True, "c", family)
            list_args = ["--debug=netlink", "list", "chain", family, "t", "c"]
            list_lines, list_bytes = capture(list_args, False, "c", family)
        except RuntimeError as e:
            print(f"{name}: FAILED: {e}")
            failed.append(name)
            continue
        finally:
            run(["ip", "netns", "del", NS], check=False)
        out = [
            f"# golden: {name}",
            f"# captured by native-tests/capture/capture-nft-expressions.py with {nft_version}, libnftnl {libnftnl}, kernel {kernel}",
            "# setup (nft -f -): " + " ".join(setup.split()),
        ]
        section(out, "add", f"nft --debug=netlink add rule {family} t c {rule}",
                "NFTA_RULE_EXPRESSIONS of the NFT_MSG_NEWRULE nft sent (netlink-capture.sh), one NFTA_LIST_ELEM per line",
                add_lines, add_bytes)
        section(out, "list", f"nft --debug=netlink list chain {family} t c",
                "NFTA_RULE_EXPRESSIONS of the NFT_MSG_NEWRULE the kernel dumped (netlink-capture.sh), one NFTA_LIST_ELEM per line",
                list_lines, list_bytes)
        with open(os.path.join(OUT, f"{name}.golden"), "w") as f:
            f.write("\n".join(out) + "\n")
        print(f"{name}: add {len(add_lines)} lines, list {len(list_lines)} lines")
    if failed:
        print("failed: " + " ".join(failed))
        sys.exit(1)


if __name__ == "__main__":
    main(set(sys.argv[1:]))
