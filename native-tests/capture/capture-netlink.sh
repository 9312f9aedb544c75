#!/usr/bin/env bash
# Regenerates tests/Netfilter.Net.Tests/Captures/netlink/*.txt: nft's and the kernel's datagrams
# for a few nf_tables requests (add, list, an error), and kernel answers nft does not provoke,
# from nfnl_probe.py (capped acks, a policy error with text, EPERM on a batch). Each capture runs
# in its own throwaway network namespace, deleted at the end; the host is never touched.
# Run as root:  native-tests/capture/capture-netlink.sh [NAME...]   (needs nft, strace, ip, setpriv)
# The files are written by the one capture tool, netlink-capture.sh (README.md says the format).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/Netfilter.Net.Tests/Captures/netlink
mkdir -p "$out"
ns=nfnet-capture-netlink-$$
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT

# capture NAME "SETUP" COMMAND...: SETUP is run (untraced, one nft -f - per line, so one
# generation each) before COMMAND is captured.
capture() {
  local name=$1 setup=$2; shift 2
  if ((${#wanted[@]})) && [[ ! " ${wanted[*]} " == *" $name "* ]]; then return; fi
  ip netns add "$ns"
  local line
  while read -r line; do ip netns exec "$ns" nft -f - <<<"$line"; done < <(printf '%s' "$setup" | grep -v '^$' || true)
  native-tests/capture/netlink-capture.sh "$ns" "a throwaway network namespace set up by native-tests/capture/capture-netlink.sh${setup:+; setup (untraced, nft -f -): ${setup//$'\n'/; }}" "$@" </dev/null >"$out/$name.txt"
  ip netns del "$ns"
  echo "wrote $out/$name.txt"
}
wanted=("$@")
probe=native-tests/capture/nfnl_probe.py
# The interpreter itself, not a shim in root's home that the unprivileged run could not open.
python=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')

capture add-table-inet "" nft add table inet t
capture add-chain-hook "add table inet t" nft add chain inet t c '{ type filter hook input priority 0; }'
capture list-tables "add table inet t
add table ip nat" nft list tables
capture delete-missing-table "" nft delete table inet nosuch
capture policy-error-text "" "$python" "$probe" policy
capture capped-ack-and-error "" "$python" "$probe" capped
capture batch-eperm "" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$python" "$probe" plain
