#!/usr/bin/env bash
# Regenerates the NETLINK_ROUTE and NETLINK_SOCK_DIAG captures under
# tests/Netfilter.Net.Tests/Captures/{Routing,Sockets}/ from the reference tools (ip, ss).
# Run as root from anywhere: everything happens in a throwaway network namespace that is
# deleted at the end; the host is never touched.
#
# The files are written by the one capture tool, netlink-capture.sh (its header says the format).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/Netfilter.Net.Tests/Captures
ns=nfnet-capture-$$
mkdir -p "$out/Routing" "$out/Sockets"

cleanup() { ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up

# capture FILE COMMAND...: runs COMMAND in the namespace under the capture tool and writes FILE.
capture() {
  local file=$1; shift
  native-tests/capture/netlink-capture.sh "$ns" "a fresh network namespace (loopback up), by native-tests/capture/capture-routing-sockdiag.sh" "$@" > "$file"
  echo "wrote $file"
}

# Policy routing for TPROXY, as the documentation of nft's tproxy statement writes it.
capture "$out/Routing/rule-add-fwmark-1-lookup-100.txt" ip rule add fwmark 1 lookup 100
capture "$out/Routing/rule6-add-fwmark-1-lookup-100.txt" ip -6 rule add fwmark 1 lookup 100
capture "$out/Routing/rule-add-fwmark-mask-lookup-1000-pref-100.txt" ip rule add fwmark 0x1/0x1 lookup 1000 pref 100
capture "$out/Routing/route-add-local-default-dev-lo-table-100.txt" ip route add local 0.0.0.0/0 dev lo table 100
capture "$out/Routing/route6-add-local-default-dev-lo-table-100.txt" ip -6 route add local ::/0 dev lo table 100
capture "$out/Routing/route-add-local-default-dev-lo-table-1000.txt" ip route add local 0.0.0.0/0 dev lo table 1000
capture "$out/Routing/rule-show.txt" ip rule show
capture "$out/Routing/rule6-show.txt" ip -6 rule show
capture "$out/Routing/route-show-table-100.txt" ip route show table 100
capture "$out/Routing/route6-show-table-100.txt" ip -6 route show table 100
capture "$out/Routing/rule-del-fwmark-1-lookup-100.txt" ip rule del fwmark 1 lookup 100
capture "$out/Routing/route-del-local-default-dev-lo-table-100.txt" ip route del local 0.0.0.0/0 dev lo table 100

# Listening sockets: a few listeners in the namespace, then ss as the oracle.
ip netns exec "$ns" python3 -c '
import socket, time
def tcp(family, address, port, v6only=None):
    s = socket.socket(family, socket.SOCK_STREAM)
    if v6only is not None: s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    s.bind((address, port)); s.listen(); return s
def udp(family, address, port):
    s = socket.socket(family, socket.SOCK_DGRAM); s.bind((address, port)); return s
keep = [tcp(socket.AF_INET, "0.0.0.0", 8080), tcp(socket.AF_INET, "127.0.0.1", 9000),
        tcp(socket.AF_INET6, "::", 8443, 1), tcp(socket.AF_INET6, "::1", 9443, 1),
        tcp(socket.AF_INET6, "::", 8444, 0),
        udp(socket.AF_INET, "0.0.0.0", 5353), udp(socket.AF_INET6, "::1", 53)]
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); u.bind(("::", 5354)); keep.append(u)
time.sleep(30)
' &
sleep 1
capture "$out/Sockets/ss-ltnH.txt" ss -ltnH
capture "$out/Sockets/ss-lunH.txt" ss -lunH
