#!/usr/bin/env bash
# Runs every unit and native test. On a fresh Debian/Ubuntu machine, as root:  ./test.sh
# Installs the oracle tools (nft, conntrack, ip, iptables) when they are missing, builds,
# runs tests/ (no privileges needed) and native-tests/ (root: each test makes its own network
# namespaces and deletes them), and ends with the line "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

missing=()
command -v nft >/dev/null 2>&1 || missing+=(nftables)
command -v conntrack >/dev/null 2>&1 || missing+=(conntrack)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v iptables-nft-restore >/dev/null 2>&1 || missing+=(iptables)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "== installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null || { echo "apt-get install ${missing[*]} failed"; exit 1; }
  else
    echo "== missing ${missing[*]} (not root: native tests will be skipped)"
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "== build"
if ! dotnet build Netfilter.Net.sln -c Release --nologo -v q; then
  echo "build failed"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; skipped=0; status=0
run_tests() {
  local project=$1 log
  log=$(mktemp)
  echo "== $project"
  dotnet test "$project" -c Release --no-build --nologo "${@:2}" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  # "Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total:    42, ..."
  local line
  line=$(grep -E '(Passed|Failed)! +- Failed: ' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "no test summary from $project (exit $rc)"
    failed=$((failed + 1)); status=1
  else
    local f p s
    f=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$line")
    p=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")
    s=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    [ "$rc" -ne 0 ] && status=1
  fi
  rm -f "$log"
}

run_tests tests/Netfilter.Net.Tests/Netfilter.Net.Tests.csproj
run_tests native-tests/Netfilter.Net.NativeTests/Netfilter.Net.NativeTests.csproj

[ "$failed" -gt 0 ] && status=1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
