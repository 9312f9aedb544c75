#!/usr/bin/env python3
"""Splits a `perf record -g` profile of one process into where its CPU went.

Usage: perf-split.py PERF.DATA

Each sample is put in the first class whose test its call stack passes: the kernel's side of a
netlink dump (the kernel fills the next datagram inside recvmsg), of an nf_tables transaction
(nfnetlink runs the batch inside the sendmsg that carries it), page faults, the rest of the
kernel; then nfnet's own work by the frames on its stack. The README of the benchmark project
(section "Where the CPU goes") uses it for `conntrack list` and `ruleset restore`; for the C
tools (conntrack, nft) everything outside the kernel is "user: other".
"""
import collections
import subprocess
import sys

CLASSES = [
    ("kernel: netlink dump (in recvmsg)", True, ("netlink_dump", "netlink_recvmsg")),
    ("kernel: nf_tables transaction (in sendmsg)", True, ("nfnetlink_rcv", "nf_tables_commit")),
    ("kernel: page faults", True, ("exc_page_fault",)),
    ("kernel: write", True, ("ksys_write", "vfs_write")),
    ("kernel: other", True, ("",)),
    ("user: GC and allocation", False, ("gc_heap", "WKS::", "RhpNew")),
    ("user: JSON (writing or reading)", False, ("Utf8JsonWriter", "JsonWriterHelper", "Encodings_Web", "Json", "DocumentReader", "AttributeText")),
    ("user: text and number formatting", False, ("ConntrackText", "ConntrackOutput", "StreamWriter", "IPAddress", "Number__")),
    ("user: netlink decode", False, ("Decode", "NetlinkAttributeReader", "NetlinkMessageReader")),
    ("user: netlink encode", False, ("NetlinkWriter", "Encode", "Operation", "NfnetlinkBatch", "ExpressionListCodec")),
    ("user: start-up", False, ("StartupCodeHelpers", "System_CommandLine", "ld-linux")),
    ("user: other", False, ("",)),
]


def classify(frames):
    leaf = frames[0]
    if "kallsyms" in leaf or "[kernel" in leaf:
        # The kernel's classes by what the whole stack went through.
        stack = " ".join(frames)
        for name, kernel, needles in CLASSES:
            if kernel and any(n in stack for n in needles):
                return name
    else:
        # nfnet's by the frame nearest the leaf that names one: an async continuation carries
        # the frames of whatever resumed it (a restore's commit runs under the JSON reader's).
        for frame in frames:
            for name, kernel, needles in CLASSES:
                if not kernel and all(needles) and any(n in frame for n in needles):
                    return name
        return "user: other"
    return "unclassified"


def main():
    script = subprocess.run(["perf", "script", "-i", sys.argv[1], "-F", "ip,sym,dso"],
                            capture_output=True, text=True, check=True).stdout
    counts = collections.Counter()
    for block in script.split("\n\n"):
        frames = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if frames:
            counts[classify(frames)] += 1
    total = sum(counts.values())
    for name, count in counts.most_common():
        print(f"{100 * count / total:5.1f}%  {count:6d}  {name}")
    print(f"{total:13d}  samples")


if __name__ == "__main__":
    main()
