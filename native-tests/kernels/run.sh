#!/usr/bin/env bash
# The kernel matrix: runs the kernel-feature suite (native-tests/kernels/Netfilter.Net.KernelSuite,
# a NativeAOT program over the library) on Debian 12's other kernels under qemu, and on the
# machine's own kernel. As root:
#
#   native-tests/kernels/run.sh                 # 6.1, 6.12 and this machine's kernel
#   native-tests/kernels/run.sh 6.1             # one kernel ("6.1", "6.12" or "host")
#   native-tests/kernels/run.sh --exec 'nft --version' 6.12   # a shell command in the VM instead of the suite
#
# For each Debian kernel it downloads the package with apt-get (cached under .cache/, which git
# ignores), builds a busybox initramfs holding the kernel's network modules, the suite, and nft,
# ip, conntrack and iptables-nft with their libraries, boots it under qemu with TCG (no KVM
# needed) and no network (-nic none), and prints the suite's lines. The machine's own kernel runs
# the same binary directly; every check creates its own network namespaces, so the host's
# ruleset, conntrack table and sysctls are not touched. The last lines are one summary per
# kernel and the checks whose outcome differs between kernels. Exit status: 0 when no check
# failed on any kernel (a feature a kernel lacks, reported with the library's typed error, is not
# a failure).
#
# Installs qemu-system-x86, busybox-static, cpio and kmod (and clang and zlib1g-dev for NativeAOT)
# with apt-get when they are missing.
# Each VM took 5 to 8 minutes under TCG on this project's loaded 2-core machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="$here/.cache"

# Debian 12's cloud kernels (apt-cache policy shows the versions served).
declare -A package=(
  [6.1]=linux-image-6.1.0-47-cloud-amd64-unsigned
  [6.12]=linux-image-6.12.118+deb12-cloud-amd64-unsigned
)

exec_command=""
kernels=()
while [ $# -gt 0 ]; do
  case "$1" in
    --exec) exec_command=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) kernels+=("$1"); shift ;;
  esac
done
[ ${#kernels[@]} -eq 0 ] && kernels=(6.1 6.12 host)

if [ "$(id -u)" -ne 0 ]; then
  echo "run.sh needs root (apt-get, namespaces, modules in the initramfs)" >&2
  exit 2
fi

missing=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
# The initramfs needs a static busybox; Debian's busybox-static installs one as /bin/busybox.
{ command -v busybox >/dev/null 2>&1 && ! ldd "$(command -v busybox)" >/dev/null 2>&1; } || missing+=(busybox-static)
command -v cpio >/dev/null 2>&1 || missing+=(cpio)
command -v depmod >/dev/null 2>&1 || [ -x /usr/sbin/depmod ] || [ -x /sbin/depmod ] || missing+=(kmod)
# NativeAOT links with clang and zlib (as test.sh's NativeAOT stage).
if ! command -v clang >/dev/null 2>&1 && ! compgen -c clang- | grep -qE '^clang-[0-9]+$'; then missing+=(clang); fi
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
for tool in nft ip conntrack xtables-nft-multi; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$(case $tool in nft) echo nftables;; ip) echo iproute2;; conntrack) echo conntrack;; *) echo iptables;; esac)")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
depmod=$(command -v depmod || echo /usr/sbin/depmod)

mkdir -p "$cache"
echo "== publishing the kernel suite (NativeAOT)"
suite_out="$cache/suite"
dotnet publish "$here/Netfilter.Net.KernelSuite/Netfilter.Net.KernelSuite.csproj" -c Release -r linux-x64 \
  -p:PublishAot=true --nologo -v q -o "$suite_out" >"$cache/publish.log" 2>&1 \
  || { cat "$cache/publish.log"; echo "publish failed" >&2; exit 1; }
suite="$suite_out/kernel-suite"

# Modules loaded at boot: everything the suite exercises. The kernel also loads missing ones on
# demand through /sbin/modprobe (busybox), but loading them up front keeps the first check of
# each family from timing the load.
modules="nfnetlink nf_tables nf_conntrack nf_nat nf_conntrack_netlink nf_tables_inet nft_chain_nat nft_nat nft_ct
nft_redir nft_masq nft_tproxy nft_socket nft_fib nft_fib_inet nft_fib_ipv4 nft_fib_ipv6 nft_fib_netdev nft_reject
nft_reject_inet nft_reject_ipv4 nft_reject_ipv6 nft_reject_netdev nft_limit nft_log nft_quota nft_counter nft_hash
nft_numgen nft_connlimit nft_osf nft_synproxy nft_xfrm nft_dup_ipv4 nft_dup_ipv6 nft_dup_netdev nft_fwd_netdev
nft_queue nft_objref nft_compat nft_flow_offload nf_flow_table nf_flow_table_inet nf_tproxy_ipv4 nf_tproxy_ipv6
nf_socket_ipv4 nf_socket_ipv6 nf_log_syslog nfnetlink_log nfnetlink_queue veth bridge inet_diag tcp_diag udp_diag
xt_conntrack xt_addrtype xt_MASQUERADE xt_nat xt_comment xt_mark xt_multiport xt_statistic xt_tcpudp xt_LOG
xt_limit xt_recent xt_physdev xt_CT xt_REDIRECT xt_set xt_connmark xt_pkttype xt_state xt_owner xt_hl xt_length
xt_TCPMSS xt_NFLOG xt_CHECKSUM xt_u32 xt_rpfilter ipt_REJECT ip6t_REJECT ip6t_rt iptable_filter iptable_nat"

# Copies a program and every shared library it needs (ldd) into the tree $1.
copy_with_libraries() {
  local root=$1 file=$2 lib
  mkdir -p "$root$(dirname "$file")"
  cp -L "$file" "$root$file"
  for lib in $(ldd "$file" 2>/dev/null | awk '/=>/ { print $3 } /^\t\/lib/ { print $1 }'); do
    [ -e "$root$lib" ] && continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}

# Builds the initramfs for the extracted kernel in $1 (modules version $2) into $3.
build_initramfs() {
  local kdir=$1 kv=$2 out=$3 root
  root=$(mktemp -d "$cache/root.XXXXXX")
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,run,tmp,etc,suite,lib/modules/$kv}
  cp "$(command -v busybox)" "$root/bin/busybox"
  for link in sh mount umount mkdir cat echo modprobe insmod poweroff sleep ls cut wc uname grep sed; do
    ln -s busybox "$root/bin/$link"
  done
  ln -s ../bin/busybox "$root/sbin/modprobe"
  # Only the network, crypto and library modules: the whole tree would triple the image.
  local m=$kdir/lib/modules/$kv
  cp "$m"/modules.order "$m"/modules.builtin* "$root/lib/modules/$kv/" 2>/dev/null || true
  (cd "$m" && find kernel/net kernel/drivers/net kernel/lib kernel/crypto kernel/arch -name '*.ko*' 2>/dev/null \
    | cpio -pdm --quiet "$root/lib/modules/$kv")
  "$depmod" -b "$root" "$kv"
  # NativeAOT links with clang and zlib (as test.sh's NativeAOT stage).
if ! command -v clang >/dev/null 2>&1 && ! compgen -c clang- | grep -qE '^clang-[0-9]+$'; then missing+=(clang); fi
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
for tool in nft ip conntrack xtables-nft-multi; do
    copy_with_libraries "$root" "$(readlink -f "$(command -v "$tool")")"
  done
  for name in iptables iptables-nft iptables-nft-restore iptables-nft-save ip6tables ip6tables-nft ip6tables-nft-restore ip6tables-nft-save; do
    ln -sf "$(readlink -f "$(command -v xtables-nft-multi)")" "$root/usr/sbin/$name"
  done
  # iptables-nft loads its extensions with dlopen: ldd of the binary does not list them.
  local xt=/usr/lib/x86_64-linux-gnu/xtables
  if [ -d "$xt" ]; then
    mkdir -p "$root$xt"
    for so in "$xt"/*.so; do copy_with_libraries "$root" "$so"; done
  fi
  copy_with_libraries "$root" "$suite"
  cp "$suite" "$root/suite/kernel-suite"
  cp /etc/protocols /etc/services "$root/etc/" 2>/dev/null || true
  [ -d /etc/iproute2 ] && cp -r /etc/iproute2 "$root/etc/"
  echo "$modules" | tr ' ' '\n' | grep -v '^$' > "$root/modules.list"
  if [ -n "$exec_command" ]; then
    printf '%s\n' "$exec_command" > "$root/command"
  else
    echo "/suite/kernel-suite" > "$root/command"
  fi
  cat > "$root/init" <<'INIT'
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs run /run
mount -t tmpfs tmp /tmp
mkdir -p /run/netns
for m in $(cat /modules.list); do modprobe -q "$m" 2>/dev/null; done
echo "=== kernel-suite begin $(uname -r)"
sh -c "$(cat /command)"
echo "=== kernel-suite exit $?"
poweroff -f
INIT
  chmod +x "$root/init"
  (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 > "$out")
  rm -rf "$root"
}

# Boots the kernel package $1; the suite's output goes to $2.
run_vm() {
  local pkg=$1 log=$2 deb kdir kv initrd
  mkdir -p "$cache/debs" "$cache/kernels"
  deb=$(ls "$cache/debs/${pkg}"_*.deb 2>/dev/null | head -n 1 || true)
  if [ -z "$deb" ]; then
    echo "== apt-get download $pkg"
    (cd "$cache/debs" && apt-get download "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
    deb=$(ls "$cache/debs/${pkg}"_*.deb | head -n 1)
  fi
  kdir="$cache/kernels/$(basename "$deb" .deb)"
  if [ ! -d "$kdir/boot" ]; then
    mkdir -p "$kdir"
    dpkg-deb -x "$deb" "$kdir"
  fi
  kv=$(ls "$kdir/lib/modules")
  initrd="$cache/initrd-$kv.gz"
  echo "== building the initramfs for $kv"
  build_initramfs "$kdir" "$kv" "$initrd"
  echo "== booting $kv under qemu (TCG, -nic none); $(du -h "$initrd" | cut -f1) initramfs"
  local start=$SECONDS
  timeout 1800 qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m 2048 -smp 2 \
    -kernel "$kdir/boot/vmlinuz-$kv" -initrd "$initrd" \
    -append "console=ttyS0 rdinit=/init quiet panic=-1" -nographic -no-reboot -nic none \
    < /dev/null > "$log" 2>&1 || true
  # The console's terminal escapes (qemu's BIOS clears the screen) and carriage returns out.
  sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r$//' "$log" > "$log.tmp" && mv "$log.tmp" "$log"
  echo "== $kv: VM ran $((SECONDS - start)) s"
}

status=0
summaries=()
results=()
for k in "${kernels[@]}"; do
  log="$cache/log-$k.txt"
  if [ "$k" = host ]; then
    echo "== this machine's kernel $(uname -r), directly"
    { echo "=== kernel-suite begin $(uname -r)"; if [ -n "$exec_command" ]; then sh -c "$exec_command"; else "$suite"; fi; echo "=== kernel-suite exit $?"; } > "$log" 2>&1 || true
  else
    pkg=${package[$k]:-}
    if [ -z "$pkg" ]; then
      echo "unknown kernel '$k' (known: ${!package[*]} host)" >&2
      exit 2
    fi
    run_vm "$pkg" "$log"
  fi
  # The suite's own lines, between the markers (the VM's console adds kernel messages).
  sed -n '/=== kernel-suite begin/,/^=== kernel-suite exit/p' "$log"
  rc=$(sed -n 's/^=== kernel-suite exit \([0-9]*\).*/\1/p' "$log" | tail -n 1)
  if [ -z "$rc" ]; then
    echo "!! $k: the suite did not finish; the console log ends with:"
    tail -n 30 "$log"
    status=1
    summaries+=("$k: did not finish (log: $log)")
    continue
  fi
  [ -n "$exec_command" ] && continue
  [ "$rc" -ne 0 ] && status=1
  summaries+=("$k: $(grep -E '^kernel-suite: ' "$log" | tail -n 1 | sed 's/^kernel-suite: //')")
  results+=("$log")
done

if [ -z "$exec_command" ]; then
  echo
  echo "== matrix"
  for s in "${summaries[@]}"; do echo "  $s"; done
  if [ ${#results[@]} -gt 1 ]; then
    echo "== checks whose outcome differs between kernels"
    # Lines look like "PASS  id  detail", "NEEDS id  message", "FAIL  id  reason".
    awk '/^(PASS|FAIL|NEEDS|SKIP) / { outcome[$2] = outcome[$2] sprintf("%s=%s ", FILENAME, $1) }
         END { for (id in outcome) { n = split(outcome[id], parts, " "); first = ""; differs = 0;
               for (i = 1; i <= n; i++) { split(parts[i], kv, "="); if (first == "") first = kv[2]; else if (kv[2] != first) differs = 1 }
               if (differs) print "  " id ": " outcome[id] } }' "${results[@]}" \
      | sed "s#$cache/log-##g; s#\.txt=#=#g" | sort
  fi
fi
exit $status
