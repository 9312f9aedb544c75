#!/usr/bin/env bash
# Regenerates tests/Netfilter.Net.Tests/Captures/nftables/transactions/*.txt: the batch nft -f
# sends for a few scripts (table, chain, rule, set and element operations, rule positions) and the
# kernel's NLMSG_ERROR answers when it refuses one. The tests read the batch (the datagram that
# starts with NFNL_MSG_BATCH_BEGIN) and the errors after it (BatchCapture). Each capture runs in
# its own throwaway network namespace, deleted at the end; the host is never touched.
# Run as root:  native-tests/capture/capture-nft-batches.sh [NAME...]   (needs nft, strace, ip)
# The files are written by the one capture tool, netlink-capture.sh (README.md says the format).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/Netfilter.Net.Tests/Captures/nftables/transactions
mkdir -p "$out"
ns=nfnet-capture-batches-$$
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT

# capture NAME "WHAT IT SHOWS" "SETUP" "SCRIPT": SETUP runs untraced, then nft -f - reads SCRIPT under strace.
capture() {
  local name=$1 what=$2 setup=$3 script=$4
  if ((${#wanted[@]})) && [[ ! " ${wanted[*]} " == *" $name "* ]]; then return; fi
  ip netns add "$ns"
  [[ -z $setup ]] || ip netns exec "$ns" nft -f - <<<"$setup"
  {
    native-tests/capture/netlink-capture.sh "$ns" "a throwaway network namespace set up by native-tests/capture/capture-nft-batches.sh${setup:+; setup (untraced, nft -f -): ${setup//$'\n'/; }}" nft -f - <<<"$script"
    echo "# $name: $what"
    sed 's/^/# input: /' <<<"$script"
  } >"$out/$name.txt"
  ip netns del "$ns"
  echo "wrote $out/$name.txt"
}
wanted=("$@")
base='add table ip txn
add chain ip txn pre { type nat hook prerouting priority dstnat; policy accept; }
add chain ip txn c
add rule ip txn c counter accept comment "A"
add rule ip txn c counter accept comment "B"
add set ip txn s { type ipv4_addr; }'

capture add-table-chain-rule "NEWTABLE (no NLM_F_CREATE), base NEWCHAIN (CREATE), NEWRULE (CREATE|APPEND)" "" \
'add table ip txn
add chain ip txn pre { type nat hook prerouting priority dstnat; policy accept; }
add rule ip txn pre tcp dport 80 dnat to 10.0.0.1:8080'
capture create-table-chain-set "create = NLM_F_EXCL (and CREATE for chains and sets)" "add table ip other" \
'create table ip txn
create chain ip txn c
create set ip txn s { type ipv4_addr; }'
capture rule-positions "insert (CREATE), insert/add with NFTA_RULE_POSITION, replace (REPLACE + handle); handles 3 and 4 are rules A and B" "$base" \
'insert rule ip txn c counter accept comment "head"
insert rule ip txn c position 4 counter accept comment "before B"
add rule ip txn c position 3 counter accept comment "after A"
replace rule ip txn c handle 3 counter drop comment "A2"'
capture delete-and-flush "DELRULE by handle, DELRULE without handle (flush chain / table), DELSETELEM without list (flush set), DELSET, DELCHAIN, DELTABLE" "$base" \
'delete rule ip txn c handle 4
flush chain ip txn c
flush table ip txn
flush set ip txn s
delete set ip txn s
delete chain ip txn c
delete table ip txn'
capture sets-and-elements "NEWSET of a map with its elements (by set id), NEWSETELEM (CREATE, CREATE|EXCL), DELSETELEM" "add table ip txn
add set ip txn s { type ipv4_addr; }" \
'add map ip txn m { type inet_service : ipv4_addr; elements = { 80 : 10.0.0.1, 443 : 10.0.0.2 } }
add element ip txn s { 192.0.2.1, 192.0.2.2 }
create element ip txn s { 192.0.2.3 }
delete element ip txn s { 192.0.2.1 }'
capture refused-jump "the kernel refuses the jump (ENOENT) and points NLMSGERR_ATTR_OFFS at the immediate expression" "add table ip txn
add chain ip txn c" \
'add rule ip txn c tcp dport 22 jump nosuch'
