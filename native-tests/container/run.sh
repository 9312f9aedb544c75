#!/usr/bin/env bash
# Runs Netfilter.Net in containers, the shapes users deploy it in:
#   (a) privileged   the native test suite in a privileged-equivalent container
#   (b) netadmin     CAP_NET_ADMIN only: the container's own network namespace, /proc/sys
#                    read-only, no CAP_SYS_ADMIN (scenarios.sh netadmin: counted checks)
#   (c) unprivileged no CAP_NET_ADMIN (scenarios.sh unprivileged: counted checks)
#
# Usage: native-tests/container/run.sh [image|a|b|c|all]...      (default: all)
#
# Needs a running Docker daemon reachable by `docker info` (this script never starts one) and
# the solution built in Release (test.sh builds it; this script builds it when the outputs are
# missing). The image is built without a registry: debootstrap makes a Debian bookworm rootfs
# (cached as a tarball under native-tests/container/.cache, gitignored, so reruns take
# seconds), `docker import` turns it into nfnet-rootfs:bookworm, and the Containerfile adds the
# rest. .NET and the build outputs are bind-mounted read-only from the host.
#
# Each stage ends with a line "container-X: N passed, N failed, N skipped"; the last line is
# the total, "container: N passed, N failed, N skipped". Exit 0 when nothing failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${NFNET_CONTAINER_CACHE:-$here/.cache}
image=nfnet-test:bookworm
base=nfnet-rootfs:bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What the tests run besides .NET: the oracles (nft, conntrack, ip, iptables-nft, sysctl),
# socat for traffic in the scenarios, ICU for .NET.
DEBOOTSTRAP_PACKAGES=iproute2,nftables,conntrack,iptables,procps,socat,libicu72
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
nuget_packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}

passed=0; failed=0; skipped=0

say() { echo "== $*"; }

need_docker() {
  if ! docker info >/dev/null 2>&1; then
    echo "run.sh: no Docker daemon answers 'docker info': start one (see ../shared/ENVIRONMENT.md for this machine's flags) and run again" >&2
    exit 2
  fi
}

# The rootfs tarball: debootstrap once, then reuse. Its name carries the package list, so a
# changed list builds a new one.
rootfs_tarball() {
  local key tarball
  key=$(printf '%s' "bookworm $DEBOOTSTRAP_PACKAGES" | sha256sum | cut -c1-12)
  tarball="$cache/rootfs-bookworm-$key.tar.gz"
  if [ -s "$tarball" ]; then
    echo "$tarball"
    return 0
  fi
  if ! command -v debootstrap >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing debootstrap" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null || return 1
    else
      echo "run.sh: debootstrap is missing (as root: apt-get install debootstrap)" >&2
      return 1
    fi
  fi
  mkdir -p "$cache"
  local work
  work=$(mktemp -d "$cache/rootfs.XXXXXX")
  say "debootstrap bookworm ($DEBOOTSTRAP_PACKAGES) from $mirror: a few minutes, once" >&2
  if ! debootstrap --variant=minbase --include="$DEBOOTSTRAP_PACKAGES" bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1; then
    echo "run.sh: debootstrap failed; the end of its log:" >&2
    tail -n 20 "$work/debootstrap.log" >&2
    rm -rf "$work"
    return 1
  fi
  # Smaller and reproducible enough: no apt lists or caches in the image.
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
  tar -C "$work/root" --numeric-owner -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$work"
  echo "$tarball"
}

build_image() {
  local tarball stamp
  tarball=$(rootfs_tarball) || return 1
  # The image is rebuilt when the rootfs or the Containerfile changes.
  stamp=$( (basename "$tarball"; cat "$here/Containerfile") | sha256sum | cut -c1-12)
  if [ "$(docker image inspect -f '{{ index .Config.Labels "nfnet.stamp" }}' "$image" 2>/dev/null)" = "$stamp" ]; then
    say "image $image is up to date ($stamp)"
    return 0
  fi
  say "docker import $(basename "$tarball") as $base"
  docker import "$tarball" "$base" >/dev/null || return 1
  say "docker build $image from Containerfile"
  docker build -q --network none --label "nfnet.stamp=$stamp" -t "$image" -f "$here/Containerfile" "$here" >/dev/null || return 1
}

ensure_built() {
  local tests="$repo/native-tests/Netfilter.Net.NativeTests/bin/Release/net10.0/Netfilter.Net.NativeTests.dll"
  if [ ! -f "$tests" ]; then
    say "building the solution (Release)"
    dotnet build "$repo/Netfilter.Net.sln" -c Release --nologo -v q || return 1
  fi
}

# Mounts shared by every stage: .NET, the NuGet cache and the repository at their host paths,
# read-only except the repository (test results land in it).
common_mounts() {
  printf '%s\n' -v "$dotnet_root:/usr/share/dotnet:ro" -v "$nuget_packages:$nuget_packages:ro" -v "$repo:$repo" -w "$repo" \
    -e "NUGET_PACKAGES=$nuget_packages" -e "NFNET_EXE=${NFNET_EXE:-}"
  # The upstream conformance corpus (../shared/conformance), where present, as on the host.
  local d
  for d in "$repo/../shared" "$repo/../../shared"; do
    if [ -d "$d/conformance" ]; then
      d=$(readlink -f "$d")
      printf '%s\n' -v "$d:$d:ro"
      break
    fi
  done
}

# "Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total:    42" -> counters.
count_dotnet_test() {
  local stage=$1 log=$2 rc=$3 line f p s
  line=$(grep -E '(Passed|Failed)! +- Failed: ' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "container-$stage: 0 passed, 1 failed, 0 skipped (no test summary, exit $rc)"
    failed=$((failed + 1))
    return
  fi
  f=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$line")
  p=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")
  s=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  echo "container-$stage: $p passed, $f failed, $s skipped"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

# "scenarios-netadmin: 21 passed, 0 failed" -> counters (several runs may make up one stage).
count_scenarios() {
  local stage=$1 log=$2 rc=$3 line f p
  line=$(grep -E '^scenarios-[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "container-$stage: 0 passed, 1 failed, 0 skipped (no scenario summary, exit $rc)"
    failed=$((failed + 1))
    return
  fi
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  echo "container-$stage: $p passed, $f failed, 0 skipped"
  passed=$((passed + p)); failed=$((failed + f))
}

# (a) The whole native suite, privileged. --privileged itself fails on a machine without
# CAP_SYS_RESOURCE ("unable to apply caps"); this is its equivalent.
stage_a() {
  say "(a) native tests in a privileged-equivalent container"
  local log rc
  log=$(mktemp)
  mapfile -t mounts < <(common_mounts)
  docker run --rm --network none \
    --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined \
    --security-opt systempaths=unconfined --security-opt apparmor=unconfined \
    "${mounts[@]}" "$image" \
    dotnet test native-tests/Netfilter.Net.NativeTests/Netfilter.Net.NativeTests.csproj -c Release --no-build --nologo \
      ${NFNET_CONTAINER_FILTER:+--filter "$NFNET_CONTAINER_FILTER"} 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  count_dotnet_test a "$log" "$rc"
  rm -f "$log"
}

# (b) CAP_NET_ADMIN only (--cap-drop ALL --cap-add NET_ADMIN, as the Kubernetes recipe in
# docs/deployment.md asks), Docker's default seccomp and masked paths, /proc/sys read-only, its
# own network namespace. A throwaway namespace made on the host is bind-mounted as
# /run/netns/NAME, to show what `--netns NAME` needs there (setns: CAP_SYS_ADMIN).
stage_b() {
  say "(b) CAP_NET_ADMIN only, own network namespace, read-only /proc/sys"
  local log rc peer="nfnet-ctr-$$"
  ip netns add "$peer" || return 1
  log=$(mktemp)
  mapfile -t mounts < <(common_mounts)
  docker run --rm --network none --cap-drop ALL --cap-add NET_ADMIN \
    -v "/run/netns/$peer:/run/netns/$peer:ro" -e "PEER_NETNS=$peer" \
    "${mounts[@]}" "$image" bash native-tests/container/scenarios.sh netadmin 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  ip netns del "$peer"
  count_scenarios b "$log" "$rc"
  # The fix those errors name, applied at start: the sysctl is set by the engine, not by nfnet.
  docker run --rm --network none --cap-drop ALL --cap-add NET_ADMIN --sysctl net.ipv4.ip_forward=1 \
    "${mounts[@]}" "$image" bash native-tests/container/scenarios.sh with-sysctl 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  count_scenarios b-with-sysctl "$log" "$rc"
  rm -f "$log"
}

# (c) No CAP_NET_ADMIN: Docker's default capability set.
stage_c() {
  say "(c) without CAP_NET_ADMIN"
  local log rc
  log=$(mktemp)
  mapfile -t mounts < <(common_mounts)
  docker run --rm --network none "${mounts[@]}" "$image" bash native-tests/container/scenarios.sh unprivileged 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  count_scenarios c "$log" "$rc"
  rm -f "$log"
}

stages=("$@")
[ ${#stages[@]} -eq 0 ] && stages=(all)
need_docker
for stage in "${stages[@]}"; do
  case "$stage" in
    image) build_image || { echo "run.sh: the image could not be built"; exit 1; } ;;
    a|b|c|all)
      build_image || { echo "run.sh: the image could not be built"; echo "container: 0 passed, 1 failed, 0 skipped"; exit 1; }
      ensure_built || { echo "run.sh: the build failed"; echo "container: 0 passed, 1 failed, 0 skipped"; exit 1; }
      case "$stage" in
        a) stage_a ;;
        b) stage_b ;;
        c) stage_c ;;
        all) stage_a; stage_b; stage_c ;;
      esac ;;
    *) echo "usage: $0 [image|a|b|c|all]..." >&2; exit 2 ;;
  esac
done
if [ "${stages[*]}" != "image" ]; then
  echo "container: $passed passed, $failed failed, $skipped skipped"
fi
[ "$failed" -eq 0 ]
