#!/usr/bin/env bash
# Counted checks of nfnet inside a container, run by run.sh (never on the host: it changes the
# ruleset, conntrack table and links of the namespace it runs in).
#
#   scenarios.sh netadmin      CAP_NET_ADMIN only (stage b): everything that can work works,
#                              everything that cannot fails with one line naming the fix
#   scenarios.sh with-sysctl   CAP_NET_ADMIN, started with --sysctl net.ipv4.ip_forward=1 (stage b):
#                              the fix the errors name works
#   scenarios.sh unprivileged  no CAP_NET_ADMIN (stage c): one line, "needs CAP_NET_ADMIN"
#
# Each check prints "ok N - what" or "not ok N - what" with the output that failed it; the
# last line is "scenarios-MODE: N passed, N failed". nfnet is the managed build
# (dotnet nfnet.dll), or NFNET_EXE when set (the NativeAOT binary).
set -uo pipefail
mode=${1:?usage: scenarios.sh netadmin|with-sysctl|unprivileged}
repo=$(cd "$(dirname "$0")/../.." && pwd)
if [ -n "${NFNET_EXE:-}" ]; then
  nfnet=("$NFNET_EXE")
else
  nfnet=(dotnet "$repo/src/Netfilter.Net.Cli/bin/Release/net10.0/nfnet.dll")
fi
passed=0; failed=0; n=0
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"; kill $(jobs -p) 2>/dev/null' EXIT

report() { # report OK? description
  n=$((n + 1))
  if [ "$1" = 1 ]; then
    passed=$((passed + 1)); echo "ok $n - $2"
  else
    failed=$((failed + 1)); echo "not ok $n - $2"
    sed 's/^/    stdout: /' "$out"; sed 's/^/    stderr: /' "$err"
  fi
}

# works "description" [--stdout REGEX] -- command...: exit 0 (and stdout matches).
works() {
  local what=$1; shift
  local pattern=
  if [ "$1" = --stdout ]; then pattern=$2; shift 2; fi
  [ "$1" = -- ] && shift
  "$@" >"$out" 2>"$err"; local rc=$?
  if [ "$rc" -eq 0 ] && { [ -z "$pattern" ] || grep -qE -- "$pattern" "$out"; }; then report 1 "$what"; else echo "    exit $rc" >>"$err"; report 0 "$what"; fi
}

# fails "description" CODE REGEX -- command...: exit CODE, stderr exactly one "nfnet: " line matching REGEX.
fails() {
  local what=$1 code=$2 pattern=$3; shift 3
  [ "$1" = -- ] && shift
  "$@" >"$out" 2>"$err"; local rc=$?
  if [ "$rc" -eq "$code" ] && [ "$(grep -c . "$err")" -eq 1 ] && grep -q '^nfnet: ' "$err" && grep -qE -- "$pattern" "$err"; then
    report 1 "$what"
  else
    echo "    exit $rc (wanted $code and one line matching: $pattern)" >>"$err"; report 0 "$what"
  fi
}

nf() { "${nfnet[@]}" "$@"; }

echo "# $mode: capabilities $(grep CapEff /proc/self/status | awk '{print $2}'), /proc/sys $(awk '$5 == "/proc/sys" {split($6, o, ","); print o[1]}' /proc/self/mountinfo), netns $(readlink /proc/self/ns/net)"

netadmin() {
  # The environment is what the stage claims: CAP_NET_ADMIN (bit 12), no CAP_SYS_ADMIN (bit 21), /proc/sys read-only.
  local caps=$((16#$(awk '/CapEff/ {print $2}' /proc/self/status)))
  [ $(( (caps >> 12) & 1 )) -eq 1 ] && [ $(( (caps >> 21) & 1 )) -eq 0 ]; report $(( $? == 0 )) "the container has CAP_NET_ADMIN and not CAP_SYS_ADMIN"
  : >"$out"; echo 1 2>"$err" >/proc/sys/net/ipv4/ip_forward; [ $? -ne 0 ] && grep -q 'Read-only file system' "$err"; report $(( $? == 0 )) "/proc/sys is read-only (the shell's own write fails with EROFS)"

  # Links inside the container's own namespace (veth: the dummy module may not be loaded, and a container cannot load it).
  works "a veth pair can be made in the container's namespace" -- sh -c 'ip link add v0 type veth peer name v1 && ip addr add 10.99.0.1/24 dev v0 && ip link set v0 up && ip link set v1 up'

  works "forward add (DNAT to another host, masquerade)" --stdout 'added to table inet nfnet: dnat tcp 2222 to 10.99.0.2:22 masquerade' -- nf forward add --proto tcp --port 2222 --to 10.99.0.2:22 --masquerade
  works "redirect add --local" --stdout 'redirect tcp 80 to 8080 local' -- nf redirect add --proto tcp --port 80 --to-port 8080 --local
  works "list shows both rules" --stdout '^dnat tcp 2222 to 10.99.0.2:22 masquerade$' -- nf list
  works "list --json" --stdout '"kind": "redirect"' -- nf list --json

  socat TCP-LISTEN:8080,reuseaddr,fork SYSTEM:'echo served-by-8080' >/dev/null 2>&1 &
  for _ in $(seq 50); do grep -q ':1F90 ' /proc/net/tcp && break; sleep 0.1; done
  works "traffic: 127.0.0.1:80 is redirected to the server on 8080" --stdout '^served-by-8080$' -- timeout 10 socat -T5 - TCP:127.0.0.1:80
  works "traffic: 10.99.0.1:80 (the veth's address) is redirected too" --stdout '^served-by-8080$' -- timeout 10 socat -T5 - TCP:10.99.0.1:80
  works "conntrack list shows the translation" --stdout 'tcp 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:80 was sent to 127\.0\.0\.1:8080' -- nf conntrack list --proto tcp --dport 80
  works "conntrack stats" --stdout 'entries' -- nf conntrack stats
  works "conntrack watch shows the table and ends cleanly on Ctrl-C" --stdout '^watching the current namespace' -- timeout --preserve-status -s INT 3 "${nfnet[@]}" conntrack watch
  works "conntrack delete of the redirected flows" --stdout 'deleted' -- nf conntrack delete --proto tcp --dport 80
  works "doctor: the redirect is fine" -- nf doctor --port 80
  if [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]; then
    works "doctor: forwarding off is an error whose fix is the container's sysctl" --stdout 'fix:  /proc/sys is read-only here .*docker run --sysctl net\.ipv4\.ip_forward=1' -- \
      sh -c "$(printf '%q ' "${nfnet[@]}") doctor --port 2222; [ \$? -eq 1 ]"
  else
    works "doctor: the forward is fine (the container was started with ip_forward on)" -- nf doctor --port 2222
  fi
  works "ruleset show --format netlink" --stdout '^inet nfnet (prerouting|output|postrouting) ' -- nf ruleset show --format netlink
  works "ruleset save" -- nf ruleset save /tmp/ruleset.json
  works "ruleset restore" --stdout '^restored 1 table' -- nf ruleset restore /tmp/ruleset.json
  works "tproxy add with its policy routing (IPv4; IPv6 is off in the container)" --stdout 'policy routing: packets marked 0x1' -- nf tproxy add --proto tcp --port 443 --to-port 8443
  works "the fwmark rule and the local route are in place" --stdout 'fwmark 0x1 lookup 100' -- sh -c 'ip rule && ip route show table 100'
  works "tproxy remove takes the policy routing away" --stdout 'policy routing for mark 0x1 removed' -- nf tproxy remove --proto tcp --port 443 --to-port 8443
  works "forward remove" -- nf forward remove --proto tcp --port 2222 --to 10.99.0.2:22 --masquerade
  works "redirect remove" -- nf redirect remove --proto tcp --port 80 --to-port 8080 --local

  works "forwarding status reads /proc/sys" --stdout '^ipv4 forwarding: (on|off)' -- nf forwarding status
  works "sysctl get reads /proc/sys" --stdout '^net.ipv4.ip_forward = [01]$' -- nf sysctl get net.ipv4.ip_forward
  fails "forwarding on: read-only /proc/sys names docker run --sysctl and securityContext.sysctls" 1 \
    'EROFS .*docker run --sysctl net\.ipv4\.ip_forward=1 or a pod.s securityContext\.sysctls' -- nf forwarding on
  fails "forwarding on --ipv6: the same for net.ipv6.conf.all.forwarding" 1 'docker run --sysctl net\.ipv6\.conf\.all\.forwarding=1' -- nf forwarding on --ipv6
  fails "sysctl set route_localnet: the same" 1 'EROFS .*docker run --sysctl net\.ipv4\.conf\.all\.route_localnet=1' -- nf sysctl set net.ipv4.conf.all.route_localnet 1
  fails "sysctl set of a host-wide key: set it on the host" 1 'kernel\.core_pattern is shared by the whole host, so set it on the host' -- nf sysctl set kernel.core_pattern core
  if [ -n "${PEER_NETNS:-}" ]; then
    fails "--netns NAME: entering another namespace needs CAP_SYS_ADMIN (setns)" 1 'needs CAP_SYS_ADMIN to enter another network namespace.*docker run --network container:' -- nf list --netns "$PEER_NETNS"
  fi
  fails "sysctl set a host-wide key with --netns is refused (not per network namespace)" 2 'not per network namespace' -- nf sysctl set kernel.core_pattern core --netns "${PEER_NETNS:-x}"
  fails "demo: making namespaces needs CAP_SYS_ADMIN" 1 'CAP_SYS_ADMIN' -- nf demo
}

# The fix the errors name, applied: the same NET_ADMIN container started with
# --sysctl net.ipv4.ip_forward=1 forwards, and the doctor has nothing to say about it.
with_sysctl() {
  works "docker run --sysctl net.ipv4.ip_forward=1: forwarding status says on" --stdout '^ipv4 forwarding: on' -- nf forwarding status
  works "a veth for the target's route" -- sh -c 'ip link add v0 type veth peer name v1 && ip addr add 10.99.0.1/24 dev v0 && ip link set v0 up && ip link set v1 up'
  works "forward add" -- nf forward add --proto tcp --port 2222 --to 10.99.0.2:22 --masquerade
  works "doctor: no error once the container starts with the sysctl" -- nf doctor --port 2222
}

unprivileged() {
  local caps=$((16#$(awk '/CapEff/ {print $2}' /proc/self/status)))
  [ $(( (caps >> 12) & 1 )) -eq 0 ]; report $(( $? == 0 )) "the container lacks CAP_NET_ADMIN"
  fails "list" 1 '^nfnet: needs CAP_NET_ADMIN' -- nf list
  fails "forward add" 1 '^nfnet: needs CAP_NET_ADMIN' -- nf forward add --proto tcp --port 2222 --to 10.99.0.2:22
  fails "redirect add" 1 '^nfnet: needs CAP_NET_ADMIN' -- nf redirect add --proto tcp --port 80 --to-port 8080
  fails "ruleset show" 1 '^nfnet: needs CAP_NET_ADMIN' -- nf ruleset show
  fails "conntrack list" 1 '^nfnet: needs CAP_NET_ADMIN' -- nf conntrack list
  works "the message names the container-level fix" --stdout 'docker run --cap-add NET_ADMIN' -- sh -c "$(printf '%q ' "${nfnet[@]}") list 2>&1; true"
  works "doctor reports the missing capability as a finding" --stdout 'cap-net-admin-missing' -- sh -c "$(printf '%q ' "${nfnet[@]}") doctor; [ \$? -eq 1 ]"
  works "forwarding status still reads /proc/sys" --stdout '^ipv4 forwarding: (on|off)' -- nf forwarding status
}

case "$mode" in
  netadmin) netadmin ;;
  with-sysctl) with_sysctl ;;
  unprivileged) unprivileged ;;
  *) echo "usage: scenarios.sh netadmin|with-sysctl|unprivileged" >&2; exit 2 ;;
esac
echo "scenarios-$mode: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
