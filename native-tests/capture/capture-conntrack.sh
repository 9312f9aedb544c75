#!/usr/bin/env bash
# Regenerates tests/Netfilter.Net.Tests/Captures/conntrack/*.txt: what conntrack(8) sends and
# receives over ctnetlink, captured with netlink-capture.sh (strace) in a throwaway network namespace that holds a
# few entries (created with conntrack -I) and some real flows through a nat table.
# Run as root:  native-tests/capture/capture-conntrack.sh
# Never touches the root namespace: everything runs under `ip netns exec`.
set -euo pipefail
out="$(cd "$(dirname "$0")/../.." && pwd)/tests/Netfilter.Net.Tests/Captures/conntrack"
tools="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
ns="nfnt-capture-$$"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip link set lo up
in_ns sysctl -qw net.netfilter.nf_conntrack_acct=1
in_ns sysctl -qw net.netfilter.nf_conntrack_timestamp=1

# Fixed entries, so captures have known contents.
in_ns conntrack -I -p tcp -s 10.0.1.2 -d 10.0.1.1 --sport 40000 --dport 2222 --reply-src 10.0.2.2 --reply-dst 10.0.2.1 --reply-port-src 22 --reply-port-dst 40000 --state ESTABLISHED -t 300 -u SEEN_REPLY,ASSURED -m 7 >/dev/null 2>&1
in_ns conntrack -I -p udp -s 10.0.1.2 -d 10.0.1.1 --sport 5353 --dport 53 -t 30 -m 0x10 >/dev/null 2>&1
in_ns conntrack -I -p tcp -s fd01::2 -d fd02::2 --sport 41000 --dport 80 --state SYN_SENT -t 120 >/dev/null 2>&1
in_ns conntrack -I -p icmp -s 10.0.1.2 -d 10.0.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 77 -t 30 >/dev/null 2>&1
in_ns conntrack -I -p sctp -s 10.0.1.2 -d 10.0.2.2 --sport 9000 --dport 9001 --state ESTABLISHED -t 60 >/dev/null 2>&1 || true
in_ns conntrack -I -p udp -s 10.0.3.3 -d 10.0.3.4 --sport 1000 --dport 2000 -t 30 --zone 7 >/dev/null 2>&1

# A real flow through a redirect: the loopback TCP connection shows counters, timestamps and the NAT.
in_ns nft -f - <<'NFT'
table ip capture {
  chain out { type nat hook output priority -100; tcp dport 8080 redirect to :9090; }
}
NFT
in_ns python3 - <<'PY'
import socket
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(("127.0.0.1", 9090)); srv.listen(1)
c = socket.create_connection(("127.0.0.1", 8080), timeout=5); s, _ = srv.accept()
c.sendall(b"hello"); s.recv(5); s.sendall(b"world"); c.recv(5)
c.close(); s.close(); srv.close()
PY

capture() {
  local name=$1; shift
  local file="$out/$name.txt"
  "$tools/netlink-capture.sh" "$ns" "a throwaway network namespace set up by native-tests/capture/capture-conntrack.sh" "$@" >"$file"
  echo "captured $file"
}

capture dump conntrack -L
capture dump-extended conntrack -L -o extended
capture dump-ipv6 conntrack -L -f ipv6
capture dump-mark conntrack -L -m 7
capture dump-tcp-dport conntrack -L -p tcp --dport 2222
capture dump-zone conntrack -L -w 7
capture dump-status conntrack -L -u ASSURED
capture get conntrack -G -p tcp -s 10.0.1.2 -d 10.0.1.1 --sport 40000 --dport 2222
capture create conntrack -I -p tcp -s 192.0.2.1 -d 192.0.2.2 --sport 1111 --dport 2222 --state ESTABLISHED -t 100 -u SEEN_REPLY -m 5
capture update-mark conntrack -U -p tcp -s 192.0.2.1 -d 192.0.2.2 --sport 1111 --dport 2222 -m 9
capture delete conntrack -D -p tcp -s 192.0.2.1 -d 192.0.2.2 --sport 1111 --dport 2222
capture stats-cpu conntrack -S
capture count conntrack -C
capture dump-expect conntrack -L expect
capture flush-expect conntrack -F expect
capture flush conntrack -F
