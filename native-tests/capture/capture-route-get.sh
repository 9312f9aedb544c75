#!/usr/bin/env bash
# Regenerates the route-lookup captures under tests/Netfilter.Net.Tests/Captures/Routing/route-get-*.txt
# from ip(8): what `ip route get ADDRESS` sends and receives (RTM_GETROUTE for one address, then
# RTM_GETLINK for the name of the output interface). The doctor (src/Netfilter.Net/Diagnostics)
# asks the same questions. Run as root from anywhere: everything happens in two throwaway
# network namespaces joined by a veth pair, deleted at the end; the host is never touched.
#
# The files are written by the one capture tool, netlink-capture.sh (its header says the format).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/Netfilter.Net.Tests/Captures/Routing
router=nfnet-capture-router-$$
server=nfnet-capture-server-$$
mkdir -p "$out"

cleanup() { ip netns del "$router" 2>/dev/null || true; ip netns del "$server" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$router"
ip netns add "$server"
ip -n "$router" link set lo up
ip link add wan netns "$router" type veth peer name eth0 netns "$server"
ip -n "$router" link set wan up
ip -n "$server" link set eth0 up
ip -n "$router" addr add 10.0.2.1/24 dev wan
ip -n "$router" -6 addr add fd02::1/64 dev wan nodad
ip -n "$router" route add default via 10.0.2.254

capture() {
  local file=$1; shift
  native-tests/capture/netlink-capture.sh "$router" "a namespace with wan 10.0.2.1/24 fd02::1/64 (veth to a second namespace), default via 10.0.2.254, by native-tests/capture/capture-route-get.sh" "$@" > "$file"
  echo "wrote $file"
}

capture "$out/route-get-via-gateway.txt" ip route get 192.0.2.7
capture "$out/route-get-connected.txt" ip route get 10.0.2.2
capture "$out/route-get-local.txt" ip route get 10.0.2.1
capture "$out/route-get-loopback.txt" ip route get 127.0.0.1
capture "$out/route6-get-connected.txt" ip -6 route get fd02::2
capture "$out/route6-get-unreachable.txt" ip -6 route get 2001:db8::1

# Every interface with its index and name (the doctor lists them to read route_localnet per interface).
capture "$out/link-show.txt" ip -o link show
