#!/usr/bin/env python3
"""Regenerates tests/Netfilter.Net.Tests/Golden/nftables/transactions/*.golden from nft.

Run as root:  python3 capture_batches.py   (needs nft, strace, ip)

Each capture runs in a throwaway network namespace (ip netns add / exec / del): the host's
ruleset is never touched. The setup commands run first (not traced); then the command runs
under strace, whose full hex dumps (-e write=all -e read=all) give every datagram byte for
byte. Only the batch (the sendmsg that starts with NFNL_MSG_BATCH_BEGIN) and the kernel's
NLMSG_ERROR answers to it are kept:

    # command: nft -f - <<'EOF' ... (the exact input follows as '#   ' lines)
    sendmsg 76
    14 00 00 00 10 00 01 00 ...
    recvmsg 304          (only when the kernel refused something)
    30 01 00 00 02 00 00 02 ...

Sequence numbers and port ids change from run to run; the tests mask them.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
STRACE = ['strace', '-f', '-e', 'trace=sendmsg,recvmsg', '-e', 'write=all', '-e', 'read=all', '-s', '65535']

BASE = """add table ip txn
add chain ip txn pre { type nat hook prerouting priority dstnat; policy accept; }
add chain ip txn c
add rule ip txn c counter accept comment "A"
add rule ip txn c counter accept comment "B"
add set ip txn s { type ipv4_addr; }
"""

# name, setup script (nft -f, untraced), traced script (nft -f), what it shows
CAPTURES = [
    ('add-table-chain-rule', '',
     """add table ip txn
add chain ip txn pre { type nat hook prerouting priority dstnat; policy accept; }
add rule ip txn pre tcp dport 80 dnat to 10.0.0.1:8080
""", 'NEWTABLE (no NLM_F_CREATE), base NEWCHAIN (CREATE), NEWRULE (CREATE|APPEND)'),
    ('create-table-chain-set', 'add table ip other\n',
     """create table ip txn
create chain ip txn c
create set ip txn s { type ipv4_addr; }
""", 'create = NLM_F_EXCL (and CREATE for chains and sets)'),
    ('rule-positions', BASE,
     """insert rule ip txn c counter accept comment "head"
insert rule ip txn c position 4 counter accept comment "before B"
add rule ip txn c position 3 counter accept comment "after A"
replace rule ip txn c handle 3 counter drop comment "A2"
""", 'insert (CREATE), insert/add with NFTA_RULE_POSITION, replace (REPLACE + handle); handles 3 and 4 are rules A and B'),
    ('delete-and-flush', BASE,
     """delete rule ip txn c handle 4
flush chain ip txn c
flush table ip txn
flush set ip txn s
delete set ip txn s
delete chain ip txn c
delete table ip txn
""", 'DELRULE by handle, DELRULE without handle (flush chain / table), DELSETELEM without list (flush set), DELSET, DELCHAIN, DELTABLE'),
    ('sets-and-elements', 'add table ip txn\nadd set ip txn s { type ipv4_addr; }\n',
     """add map ip txn m { type inet_service : ipv4_addr; elements = { 80 : 10.0.0.1, 443 : 10.0.0.2 } }
add element ip txn s { 192.0.2.1, 192.0.2.2 }
create element ip txn s { 192.0.2.3 }
delete element ip txn s { 192.0.2.1 }
""", 'NEWSET of a map with its elements (by set id), NEWSETELEM (CREATE, CREATE|EXCL), DELSETELEM'),
    ('refused-jump', 'add table ip txn\nadd chain ip txn c\n',
     """add rule ip txn c tcp dport 22 jump nosuch
""", 'the kernel refuses the jump (ENOENT) and points NLMSGERR_ATTR_OFFS at the immediate expression'),
]

SYSCALL = re.compile(r'^(?:\[pid +\d+\] )?(sendmsg|recvmsg)\(.*\) = (-?\d+)')
BUFFER = re.compile(r'^ \* (\d+) bytes in buffer \d+')
HEXLINE = re.compile(r'^ \| [0-9a-f]{5}  ')


def parse(trace):
    datagrams = []
    current = None
    data = None
    for line in trace.splitlines():
        m = SYSCALL.match(line)
        if m:
            current = None if 'MSG_PEEK' in line else m.group(1)
            data = None
            continue
        m = BUFFER.match(line)
        if m and current:
            data = bytearray()
            datagrams.append([current, data, int(m.group(1))])
            continue
        if HEXLINE.match(line) and data is not None:
            data.extend(bytes.fromhex(line[10:59].replace(' ', '')))
    for name, data, expected in datagrams:
        if len(data) != expected:
            raise SystemExit(f'{name}: parsed {len(data)} bytes, strace said {expected}')
    return [(n, bytes(d)) for n, d, _ in datagrams]


def batch_and_errors(datagrams):
    """The batch sendmsg and the NLMSG_ERROR datagrams received after it."""
    kept = []
    seen_batch = False
    for name, data in datagrams:
        msg_type = int.from_bytes(data[4:6], 'little')
        if name == 'sendmsg' and msg_type == 0x10:  # NFNL_MSG_BATCH_BEGIN
            kept.append((name, data))
            seen_batch = True
        elif seen_batch and name == 'recvmsg' and msg_type == 2:  # NLMSG_ERROR
            kept.append((name, data))
    if not kept:
        raise SystemExit('no batch in the trace')
    return kept


def run(ns, args, stdin=None, check=True):
    return subprocess.run(['ip', 'netns', 'exec', ns] + args, input=stdin, capture_output=True, text=True, check=check)


def capture(name, setup, script, what):
    ns = f'h7cap-{os.getpid()}-{name}'
    subprocess.run(['ip', 'netns', 'add', ns], check=True)
    try:
        if setup:
            run(ns, ['nft', '-f', '-'], setup)
        traced = run(ns, STRACE + ['nft', '-f', '-'], script, check=False)
        kept = batch_and_errors(parse(traced.stderr))
        nft = subprocess.run(['nft', '--version'], capture_output=True, text=True).stdout.strip()
        kernel = os.uname().release
        with open(os.path.join(OUT, name + '.golden'), 'w') as f:
            f.write(f'# {name}: {what}\n')
            f.write("# command: nft -f - (input below), after the setup, in a fresh namespace\n")
            for line in script.splitlines():
                f.write(f'#   {line}\n')
            f.write('# setup (untraced, nft -f -):\n')
            for line in (setup or '(none)\n').splitlines():
                f.write(f'#   {line}\n')
            f.write(f'# tool:    {nft}; ' + subprocess.run(['strace', '-V'], capture_output=True, text=True).stdout.splitlines()[0] + '\n')
            f.write(f'# kernel:  {kernel}\n')
            f.write('# how:     capture/capture_batches.py: ip netns exec X strace -f -e trace=sendmsg,recvmsg -e write=all -e read=all -s 65535 nft -f -\n')
            f.write(f'# exit:    {traced.returncode}\n')
            f.write('# nlmsg_seq and nlmsg_pid differ per run; tests mask them.\n')
            for syscall, data in kept:
                f.write(f'\n{syscall} {len(data)}\n')
                for i in range(0, len(data), 16):
                    f.write(' '.join(f'{b:02x}' for b in data[i:i + 16]) + '\n')
        print(f'{name}: {len(kept)} datagram(s), exit {traced.returncode}')
    finally:
        subprocess.run(['ip', 'netns', 'del', ns])


if __name__ == '__main__':
    if os.geteuid() != 0:
        sys.exit('run as root (namespaces, strace)')
    for c in CAPTURES:
        capture(*c)
