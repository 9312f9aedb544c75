#!/usr/bin/env python3
"""Regenerates tests/Netfilter.Net.Tests/Golden/netlink/*.golden from the reference tools.

Run as root:  python3 capture_golden.py   (needs nft, strace, ip, setpriv)

Every capture runs in a throwaway network namespace (ip netns add / exec / del): the host's
ruleset is never touched. strace's full hex dumps (-e write=all -e read=all) give each
sendmsg/recvmsg datagram byte for byte. The golden file records the command, the setup, the
tool and kernel versions, then one section per datagram:

    sendmsg 76        (or sendto / recvmsg / recvfrom, then the length)
    14 00 00 00 10 00 01 00 00 00 00 00 00 00 00 00
    ...

Sequence numbers and port ids change from run to run; tests mask them.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
PROBE = os.path.join(HERE, 'nfnl_probe.py')
PYTHON = os.path.realpath(sys.executable)
STRACE = ['strace', '-f', '-e', 'trace=sendmsg,recvmsg,sendto,recvfrom', '-e', 'write=all', '-e', 'read=all', '-s', '65535']
NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all']

CAPTURES = [
    ('add-table-inet', [], ['nft', 'add', 'table', 'inet', 't'],
     'nft add table inet t'),
    ('add-chain-hook', [['nft', 'add', 'table', 'inet', 't']],
     ['nft', 'add', 'chain', 'inet', 't', 'c', '{ type filter hook input priority 0; }'],
     "nft add chain inet t c '{ type filter hook input priority 0; }'"),
    ('list-tables', [['nft', 'add', 'table', 'inet', 't'], ['nft', 'add', 'table', 'ip', 'nat']],
     ['nft', 'list', 'tables'],
     'nft list tables'),
    ('delete-missing-table', [], ['nft', 'delete', 'table', 'inet', 'nosuch'],
     'nft delete table inet nosuch'),
    ('policy-error-text', [], [PYTHON, PROBE, 'policy'],
     'python3 capture/nfnl_probe.py policy'),
    ('capped-ack-and-error', [], [PYTHON, PROBE, 'capped'],
     'python3 capture/nfnl_probe.py capped'),
    ('batch-eperm', [], NOBODY + [PYTHON, PROBE, 'plain'],
     'setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all python3 capture/nfnl_probe.py plain'),
]

SYSCALL = re.compile(r'^(?:\[pid +\d+\] )?(sendmsg|recvmsg|sendto|recvfrom)\(.*\) = (-?\d+)')
BUFFER = re.compile(r'^ \* (\d+) bytes in buffer \d+')
HEXLINE = re.compile(r'^ \| [0-9a-f]{5}  ')


def parse(trace):
    """Yields (syscall, bytes) for every datagram strace dumped."""
    current = None
    datagrams = []
    data = None
    expected = 0
    for line in trace.splitlines():
        m = SYSCALL.match(line)
        if m:
            # A MSG_PEEK read is followed by the real read of the same datagram: keep that one.
            current = None if 'MSG_PEEK' in line else m.group(1)
            data = None
            if current in ('sendto', 'recvfrom') and int(m.group(2)) > 0:
                # No iovec: strace dumps the buffer right away, without a "* N bytes" line.
                expected = int(m.group(2))
                data = bytearray()
                datagrams.append((current, data, expected))
            continue
        m = BUFFER.match(line)
        if m and current:
            expected = int(m.group(1))
            data = bytearray()
            datagrams.append((current, data, expected))
            continue
        if HEXLINE.match(line) and data is not None:
            data.extend(bytes.fromhex(line[10:59].replace(' ', '')))
    for name, data, expected in datagrams:
        if len(data) != expected:
            raise SystemExit(f'{name}: parsed {len(data)} bytes, strace said {expected}')
    return [(name, bytes(data)) for name, data, _ in datagrams]


def version(cmd):
    return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]


def capture(name, setup, command, shown):
    ns = f'nfnet-golden-{os.getpid()}'
    subprocess.run(['ip', 'netns', 'add', ns], check=True)
    try:
        for step in setup:
            subprocess.run(['ip', 'netns', 'exec', ns] + step, check=True)
        run = subprocess.run(['ip', 'netns', 'exec', ns] + STRACE + command, capture_output=True, text=True)
    finally:
        subprocess.run(['ip', 'netns', 'del', ns], check=True)
    datagrams = parse(run.stderr)
    lines = [
        f'# {name}: netlink datagrams captured from the reference tool, byte for byte.',
        f'# command: {shown}',
        '# setup:   ' + ('; '.join(' '.join(s) for s in setup) if setup else '(empty namespace)'),
        f'# tool:    {version(["nft", "--version"])}; {version(["strace", "-V"])}',
        f'# kernel:  {os.uname().release}',
        f'# how:     capture/capture_golden.py: ip netns add X; ip netns exec X {" ".join(STRACE)} <command>; ip netns del X',
        f'# exit:    {run.returncode}',
        '# nlmsg_seq and nlmsg_pid differ per run; tests mask them.',
        '',
    ]
    for syscall, data in datagrams:
        lines.append(f'{syscall} {len(data)}')
        for i in range(0, len(data), 16):
            lines.append(' '.join(f'{b:02x}' for b in data[i:i + 16]))
        lines.append('')
    path = os.path.join(OUT, name + '.golden')
    with open(path, 'w') as f:
        f.write('\n'.join(lines))
    print(f'{path}: {len(datagrams)} datagrams, exit {run.returncode}')


if __name__ == '__main__':
    for entry in CAPTURES:
        if len(sys.argv) == 1 or entry[0] in sys.argv[1:]:
            capture(*entry)
