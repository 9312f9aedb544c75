#!/usr/bin/env bash
# Runs every unit and native test. On a fresh Debian/Ubuntu machine, as root:  ./test.sh
# Installs the oracle tools (nft, conntrack, ip, iptables) when they are missing, builds,
# runs tests/ (no privileges needed) and native-tests/ (root: each test makes its own network
# namespaces and deletes them), then publishes nfnet with NativeAOT (installing clang and
# zlib1g-dev when missing) and runs the CLI tests again against the native binary. Ends with
# the line "tests: N passed, N failed, N skipped". NFNET_AOT=0 skips the NativeAOT stage.
# Further stages, each skippable: the unit tests again as an unprivileged user (NFNET_UNPRIVILEGED=0),
# the unit tests again on .NET 8 (NFNET_NET8=0), the formatting check (NFNET_FORMAT=0), the two-path
# determinism check of the library (NFNET_DETERMINISM=0), and the container runner
# (native-tests/container/run.sh, NFNET_CONTAINER=0), which runs only when a Docker daemon
# answers `docker info` (this script never starts one). Each stage prints how long it took.
# NFNET_KERNELS=1 adds the kernel matrix (native-tests/kernels/run.sh, qemu).
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
run_as=()  # a command prefix for dotnet test (the unprivileged stage sets it)
run_tests() {
  local project=$1 log
  log=$(mktemp)
  echo "== $project"
  ${run_as[@]+"${run_as[@]}"} dotnet test "$project" -c Release --no-build --nologo "${@:2}" 2>&1 | tee "$log"
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

stage_start() { stage_began=$SECONDS; }
stage_end() { echo "== $1 took $((SECONDS - stage_began)) s"; }

stage_start
run_tests tests/Netfilter.Net.Tests/Netfilter.Net.Tests.csproj
stage_end "unit tests"

# The unit tests again as nobody (uid/gid 65534, no supplementary groups, no capabilities): the
# proof that tests over Netfilter.Net.Testing's FakeNetfilter need no root. The test build and
# the sources (a test reads files of the repository) are copied to a directory nobody owns, with
# its own HOME and TMPDIR, since the checkout may sit where nobody cannot read (/root).
unprivileged_stage() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "== unprivileged unit tests skipped: not root, so the unit tests above already ran without privileges"; return 0
  fi
  local root tests=tests/Netfilter.Net.Tests/bin/Release/net10.0
  root=$(mktemp -d)
  mkdir -p "$root/repo/$(dirname "$tests")" "$root/home" "$root/tmp"
  tar -cf - --exclude=./.git --exclude=bin --exclude=obj --exclude=./artifacts . | tar -xf - -C "$root/repo"
  cp -a "$tests" "$root/repo/$tests"
  chown -R 65534:65534 "$root" && chmod 755 "$root"
  echo "== unit tests as nobody: setpriv --reuid=65534 --regid=65534 --clear-groups"
  run_as=(env HOME="$root/home" DOTNET_CLI_HOME="$root/home" TMPDIR="$root/tmp" setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs --)
  pushd "$root" >/dev/null && run_tests "$root/repo/$tests/Netfilter.Net.Tests.dll"; popd >/dev/null
  run_as=()
  rm -rf "$root"
}
if [ "${NFNET_UNPRIVILEGED:-1}" != "0" ]; then
  stage_start; unprivileged_stage; stage_end "unprivileged unit tests"
fi

# .NET 8: the unit tests (less nfnet's, which is .NET 10 only) against the library's net8.0
# build, self-contained with the 8.0 runtime pack from NuGet, so no .NET 8 install is needed.
net8_stage() {
  echo "== unit tests on .NET 8 (self-contained: the 8.0 runtime pack)"
  if ! dotnet build tests/Netfilter.Net.Tests.Net8/Netfilter.Net.Tests.Net8.csproj -c Release --nologo -v q; then
    echo "the .NET 8 test build failed"
    failed=$((failed + 1)); status=1
    return 0
  fi
  run_tests tests/Netfilter.Net.Tests.Net8/Netfilter.Net.Tests.Net8.csproj
}
if [ "${NFNET_NET8:-1}" != "0" ]; then
  stage_start; net8_stage; stage_end ".NET 8 unit tests"
fi

stage_start
run_tests native-tests/Netfilter.Net.NativeTests/Netfilter.Net.NativeTests.csproj
stage_end "native tests"

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
  stage_start; aot_stage; stage_end "NativeAOT"
fi

# Formatting (.editorconfig, the dotnet/runtime conventions): the whole solution is formatted as
# `dotnet format whitespace` would format it. One test; `dotnet format whitespace Netfilter.Net.sln`
# fixes a failure.
format_stage() {
  echo "== format: dotnet format whitespace --verify-no-changes"
  if dotnet format whitespace Netfilter.Net.sln --verify-no-changes -v q; then
    passed=$((passed + 1))
  else
    echo "the files above are not formatted: run 'dotnet format whitespace Netfilter.Net.sln'"
    failed=$((failed + 1)); status=1
  fi
}
if [ "${NFNET_FORMAT:-1}" != "0" ]; then
  stage_start; format_stage; stage_end "format check"
fi

# Deterministic builds (docs/RELEASING.md): HEAD cloned to two paths of different lengths, the
# library built in each as CI builds it, and every DLL compared byte for byte. One test.
determinism_stage() {
  if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "== determinism check skipped: not a git checkout"; return 0
  fi
  echo "== determinism: the library built from two clones at different paths"
  local root ok=1 tfm
  root=$(mktemp -d)
  git clone -q "$PWD" "$root/a" && git clone -q "$PWD" "$root/a-longer-directory-name/b" || ok=0
  for dir in "$root/a" "$root/a-longer-directory-name/b"; do
    [ "$ok" -eq 1 ] || break
    (cd "$dir" && dotnet build src/Netfilter.Net/Netfilter.Net.csproj -c Release --nologo -v q -p:ContinuousIntegrationBuild=true >"$dir.log" 2>&1) \
      || { echo "build in $dir failed:"; tail -n 20 "$dir.log"; ok=0; }
  done
  for tfm in net8.0 net10.0; do
    [ "$ok" -eq 1 ] || break
    local one="$root/a/src/Netfilter.Net/bin/Release/$tfm/Netfilter.Net.dll" two="$root/a-longer-directory-name/b/src/Netfilter.Net/bin/Release/$tfm/Netfilter.Net.dll"
    if cmp -s "$one" "$two"; then
      echo "identical: $tfm/Netfilter.Net.dll $(sha256sum <"$one" | cut -c1-16)"
    else
      echo "DIFFERENT: $tfm/Netfilter.Net.dll built at two paths"; ok=0
    fi
  done
  rm -rf "$root"
  if [ "$ok" -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
}
if [ "${NFNET_DETERMINISM:-1}" != "0" ]; then
  stage_start; determinism_stage; stage_end "determinism check"
fi

# Containers (native-tests/container/run.sh): (a) the native suite privileged, (b) CAP_NET_ADMIN
# only, (c) without it. Needs a running Docker daemon; never starts one.
container_stage() {
  if ! command -v docker >/dev/null 2>&1; then
    echo "== container stage skipped: docker is not installed"; return 0
  fi
  if ! docker info >/dev/null 2>&1; then
    echo "== container stage skipped: no Docker daemon answers 'docker info' (start one to run it; see native-tests/container/run.sh)"; return 0
  fi
  local log line
  log=$(mktemp)
  native-tests/container/run.sh all 2>&1 | tee "$log"
  line=$(grep -E '^container: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$log" | tail -n 1)
  rm -f "$log"
  if [ -z "$line" ]; then
    echo "no summary from the container runner"; failed=$((failed + 1)); status=1; return 0
  fi
  local p f s
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  s=$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}
if [ "${NFNET_CONTAINER:-1}" != "0" ]; then
  stage_start; container_stage; stage_end "container stage"
fi

# The kernel matrix (native-tests/kernels/run.sh): the kernel-feature suite on Debian's 6.1 and 6.12
# under qemu and on this machine's kernel. Several minutes of CPU per kernel under TCG, so only
# when asked: NFNET_KERNELS=1 ./test.sh. It counts as one test.
if [ "${NFNET_KERNELS:-0}" = "1" ]; then
  echo "== kernel matrix (native-tests/kernels/run.sh)"
  if native-tests/kernels/run.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
fi

[ "$failed" -gt 0 ] && status=1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
