#!/usr/bin/env bash
# Regenerates tests/Netfilter.Net.Tests/Captures/nftables/rich-ruleset.txt: the kernel's dump of
# rich-ruleset.nft (beside it) as nft reads it for 'nft list ruleset'. The tests take every
# nf_tables message of the replies (RuleDecoderPropertyTests). Runs in a throwaway network
# namespace, deleted at the end; the host is never touched.
# Run as root:  native-tests/capture/capture-nft-ruleset.sh   (needs nft, strace, ip)
# The file is written by the one capture tool, netlink-capture.sh (README.md says the format).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=tests/Netfilter.Net.Tests/Captures/nftables
ns=nfnet-capture-ruleset-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip netns exec "$ns" nft -f "$dir/rich-ruleset.nft"
native-tests/capture/netlink-capture.sh "$ns" "a throwaway network namespace set up by native-tests/capture/capture-nft-ruleset.sh: nft -f rich-ruleset.nft" nft list ruleset </dev/null >"$dir/rich-ruleset.txt"
echo "wrote $dir/rich-ruleset.txt"
