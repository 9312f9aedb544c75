#!/usr/bin/env bash
# Runs every unit and native test. On a fresh Debian/Ubuntu machine, as root:  ./test.sh
# Installs the oracle tools (nft, conntrack, ip, iptables) when they are missing, builds,
# runs tests/ (no privileges needed) and native-tests/ (root: each test makes its own network
# namespaces and deletes them), then publishes nfnet with NativeAOT (installing clang and
# zlib1g-dev when missing) and runs the CLI tests again against the native binary. Ends with
# the line "tests: N passed, N failed, N skipped". NFNET_AOT=0 skips the NativeAOT stage.
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

# NativeAOT: nfnet must publish with no trimming or AOT warnings, and the native binary must
# pass the CLI tests (native-tests/.../Cli, which run NFNET_EXE when it is set).
aot_stage() {
  local rid
  case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) echo "== NativeAOT check skipped: no NativeAOT runtime for $(uname -m)"; return 0 ;;
  esac
  local aot_missing=()
  # ILCompiler links with clang (any clang-N it finds) and needs zlib's headers and library.
  if ! command -v clang >/dev/null 2>&1 && ! compgen -c clang- | grep -qE '^clang-[0-9]+$'; then aot_missing+=(clang); fi
  [ -e /usr/include/zlib.h ] || aot_missing+=(zlib1g-dev)
  if [ ${#aot_missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "== installing ${aot_missing[*]} (NativeAOT toolchain)"
      export DEBIAN_FRONTEND=noninteractive
      if ! { apt-get update -qq && apt-get install -y -qq "${aot_missing[@]}" >/dev/null; }; then
        echo "== NativeAOT check skipped: apt-get install ${aot_missing[*]} failed"; return 0
      fi
    else
      echo "== NativeAOT check skipped: ${aot_missing[*]} missing (as root: apt-get install ${aot_missing[*]})"; return 0
    fi
  fi
  echo "== NativeAOT publish of nfnet ($rid)"
  local out=artifacts/nfnet-aot log
  log=$(mktemp)
  rm -rf "$out"
  dotnet publish src/Netfilter.Net.Cli/Netfilter.Net.Cli.csproj -c Release -r "$rid" -p:PublishAot=true --nologo -o "$out" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  # Warnings are errors in this repository; count them anyway so a changed setting cannot hide one.
  local warnings
  warnings=$(grep -cE 'warning (IL|CS)[0-9]+' "$log")
  rm -f "$log"
  if [ "$rc" -ne 0 ] || [ "$warnings" -ne 0 ] || [ ! -x "$out/nfnet" ]; then
    echo "NativeAOT publish failed (exit $rc, $warnings trimming/AOT warnings)"
    failed=$((failed + 1)); status=1
    return 0
  fi
  echo "== CLI tests (and the command-line bad-input suite) against the native binary $out/nfnet"
  NFNET_EXE="$PWD/$out/nfnet" run_tests native-tests/Netfilter.Net.NativeTests/Netfilter.Net.NativeTests.csproj --filter "FullyQualifiedName~Netfilter.Net.NativeTests.Cli|FullyQualifiedName~Netfilter.Net.NativeTests.Reliability.CliBadInput"
}
if [ "${NFNET_AOT:-1}" != "0" ]; then
  aot_stage
fi

[ "$failed" -gt 0 ] && status=1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
