#!/usr/bin/env python3
"""Captures golden nftables bytes and debug text from nft(8), in a throwaway network namespace.

Usage (root):
  capture-nft-golden.py OUT.golden --setup 'nft script' --kind rule|obj|flowtable -- ARGS...
  capture-nft-golden.py OUT.golden --tool iptables --target 'ip filter INPUT' -- ARGS...

ARGS is the command line without the tool name, e.g.  add rule inet t c socket transparent 1
(nft), or  -A INPUT -m addrtype --dst-type LOCAL  (iptables: iptables-nft has no debug
output, so the add path then has bytes only).
What it records (see tests/Netfilter.Net.Tests/Fakes/SectionGoldenFile.cs for the format):
  [add]   the add path: the lines `nft --debug=netlink ARGS` prints, and the bytes nft sent,
          taken from the capture of `nft ARGS` by the one capture tool (netlink-capture.sh):
          for a rule, the payload of NFTA_RULE_EXPRESSIONS (the NFTA_LIST_ELEM list); for an
          object or flowtable, the whole attribute area after nfgenmsg of NEWOBJ/NEWFLOWTABLE.
  --kind delobj / delflowtable record what nft sends to delete (add path only; name the
  object "handle" in --target for a delete by handle).
  [list]  the list path, when the kernel accepted the command: the kernel's NEWRULE/NEWOBJ/
          NEWFLOWTABLE dump message (last one of the table/chain/name in question), from
          the capture of `nft --debug=netlink list ruleset`, and for a
          rule the expression lines nft printed for it.
The namespace is deleted afterwards. Nothing runs in the caller's namespace.
"""
import argparse
import os
import re
import struct
import subprocess
import sys

import netlink_capture

NFNL_SUBSYS_NFTABLES = 10
NFT_MSG_NEWRULE, NFT_MSG_NEWOBJ, NFT_MSG_NEWFLOWTABLE = 6, 18, 22
NFT_MSG_DELOBJ, NFT_MSG_DELFLOWTABLE = 20, 24
KIND_TYPES = {"rule": NFT_MSG_NEWRULE, "obj": NFT_MSG_NEWOBJ, "flowtable": NFT_MSG_NEWFLOWTABLE,
              "delobj": NFT_MSG_DELOBJ, "delflowtable": NFT_MSG_DELFLOWTABLE}
NFTA_RULE_TABLE, NFTA_RULE_CHAIN, NFTA_RULE_EXPRESSIONS = 1, 2, 4
FAMILIES = {"ip": 2, "ip6": 10, "inet": 1, "arp": 3, "bridge": 7, "netdev": 5}


def run(args, stdin=None, check=True):
    p = subprocess.run(args, input=stdin, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({p.returncode}): {p.stderr}{p.stdout}")
    return p


def messages(buf):
    off = 0
    while off + 16 <= len(buf):
        length, mtype, flags, seq, pid = struct.unpack_from("<IHHII", buf, off)
        if length < 16 or off + length > len(buf):
            break
        yield mtype, flags, buf[off:off + length]
        off += (length + 3) & ~3


def attributes(payload):
    off = 0
    while off + 4 <= len(payload):
        length, atype = struct.unpack_from("<HH", payload, off)
        if length < 4:
            break
        yield atype & 0x3FFF, payload[off + 4:off + length]
        off += (length + 3) & ~3


def strz(b):
    return b.split(b"\0", 1)[0].decode()


def pick(buffers, kind, family, table, chain_or_name):
    """The last matching NEW* message in the buffers (rule: by table+chain; obj/flowtable: by table+name)."""
    want = (NFNL_SUBSYS_NFTABLES << 8) | KIND_TYPES[kind]
    found = None
    for buf in buffers:
        for mtype, flags, msg in messages(buf):
            if mtype != want or msg[16] != family:
                continue
            attrs = dict(attributes(msg[20:]))
            # NFTA_RULE_TABLE/NFTA_OBJ_TABLE/NFTA_FLOWTABLE_TABLE are 1; NFTA_RULE_CHAIN/NFTA_OBJ_NAME/NFTA_FLOWTABLE_NAME are 2.
            # A delete by handle has no name: "handle" as the name matches it.
            by_handle = chain_or_name == "handle" and 2 not in attrs
            if strz(attrs.get(1, b"\0")) == table and (by_handle or strz(attrs.get(2, b"\0")) == chain_or_name):
                found = msg
    return found


def hexlines(b, width=64):
    h = b.hex()
    return [h[i:i + width] for i in range(0, len(h), width)] or [""]


def debug_lines_of_rule(text, family_name, table, chain):
    """The '  [ ... ]' lines of the last rule block 'family table chain ...' in --debug=netlink output."""
    blocks, current = [], None
    for line in text.splitlines():
        if line.startswith("  [ "):
            if current is not None:
                current[1].append(line.strip())
            continue
        if line.startswith(f"{family_name} {table} {chain}"):
            current = (line, [])
            blocks.append(current)
        else:
            current = None if not line.startswith("  ") else current
    return blocks[-1][1] if blocks else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--setup", default="")
    ap.add_argument("--kind", choices=KIND_TYPES.keys(), default="rule")
    ap.add_argument("--note", action="append", default=[])
    ap.add_argument("--tool", default="nft")
    ap.add_argument("--target", help="'family table chain-or-name' when the command does not start with add/create/insert")
    split = sys.argv.index("--")
    a = ap.parse_args(sys.argv[1:split])
    args = sys.argv[split + 1:]
    # add rule FAMILY TABLE CHAIN ... / add counter FAMILY TABLE NAME ... / add ct helper FAMILY TABLE NAME ...
    if a.target:
        words = a.target.split()
    else:
        words = args[3:] if args[1] == "ct" else args[2:]
    family_name, table, name = words[0], words[1], words[2]
    tool = a.tool
    family = FAMILIES[family_name]
    ns = f"nfnt-capture-{os.getpid()}"
    run(["ip", "netns", "add", ns])
    try:
        run(["ip", "-n", ns, "link", "set", "lo", "up"])
        if a.setup:
            run(["ip", "netns", "exec", ns, "nft", "-f", "-"], stdin=a.setup)
        if tool == "nft":
            debug = run(["ip", "netns", "exec", ns, "nft", "--debug=netlink"] + args, check=False)
            run(["ip", "netns", "exec", ns, "nft", "flush", "ruleset"])
            if a.setup:
                run(["ip", "netns", "exec", ns, "nft", "-f", "-"], stdin=a.setup)
        else:
            debug = subprocess.CompletedProcess([], 0, "", "")
        where = "a throwaway network namespace set up by native-tests/capture/capture-nft-golden.py"
        traced = netlink_capture.capture(ns, where, [tool] + args)
        accepted = traced.exit == 0
        sent = pick(traced.sent(), a.kind, family, table, name)
        if sent is None:
            raise SystemExit("no matching message in what nft sent:\n" + traced.text[-3000:])
        version = run(["nft", "--version"]).stdout.strip()
        if tool != "nft":
            version = run([tool, "--version"]).stdout.strip() + ", " + version
        kernel = os.uname().release
        out = [f"# {version} (libnftnl 1.2.4), kernel {kernel}; captured by native-tests/capture/capture-nft-golden.py",
               f"# command: {tool} {' '.join(args)}"]
        for line in a.setup.strip().splitlines():
            out.append(f"# setup: {line}")
        for note in a.note:
            out.append(f"# note: {note}")
        if not accepted:
            errors = [l.strip() for l in traced.output if l.startswith("Error:")]
            out.append(f"# note: the kernel refused it here ({errors[0] if errors else f'exit code {traced.exit}'}); add path only")
        out.append("")
        out.append("[add]")
        out.append("# bytes: " + ("the NFTA_RULE_EXPRESSIONS payload" if a.kind == "rule" else "the attributes after nfgenmsg") + f" that {tool} sent")
        out.append(f"family: {family_name}")
        out.append(f"flags: 0x{struct.unpack_from('<H', sent, 6)[0]:04x}")
        for line in debug.stdout.splitlines():
            if a.kind == "rule" and line.startswith("  ["):
                out.append("debug: " + line.strip())
            elif a.kind != "rule" and line.strip() and not line.startswith("Error") and "^" not in line and not line.startswith("add "):
                out.append("debug: " + line)
        payload = sent[20:]
        if a.kind == "rule":
            payload = dict(attributes(payload))[NFTA_RULE_EXPRESSIONS]
        out += ["bytes: " + h for h in hexlines(payload)]
        if accepted and not a.kind.startswith("del"):
            listed = netlink_capture.capture(ns, where, ["nft", "--debug=netlink", "list", "ruleset"])
            if listed.exit != 0:
                raise SystemExit("nft list ruleset failed:\n" + "\n".join(listed.output))
            got = pick(listed.received(), a.kind, family, table, name)
            if got is None:
                raise SystemExit("accepted, but not found in the dump")
            out.append("")
            out.append("[list]")
            out.append("# bytes: " + ("the NFTA_RULE_EXPRESSIONS payload" if a.kind == "rule" else "the attributes after nfgenmsg") + " of the kernel's dump (nft --debug=netlink list ruleset)")
            out.append(f"family: {family_name}")
            if a.kind == "rule":
                for line in debug_lines_of_rule("\n".join(listed.output), family_name, table, name):
                    out.append("debug: " + line)
                got_payload = dict(attributes(got[20:]))[NFTA_RULE_EXPRESSIONS]
            else:
                got_payload = got[20:]
            out += ["bytes: " + h for h in hexlines(got_payload)]
        with open(a.out, "w") as f:
            f.write("\n".join(out) + "\n")
        print(f"{a.out}: {'add+list' if accepted and not a.kind.startswith('del') else 'add only'}")
    finally:
        run(["ip", "netns", "del", ns], check=False)


if __name__ == "__main__":
    main()
