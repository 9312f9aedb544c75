#!/usr/bin/env bash
# The one capture tool of the netlink fixtures under tests/Netfilter.Net.Tests/Captures/
# (read by tests/Netfilter.Net.Tests/Support/CaptureFile.cs):
#
#   netlink-capture.sh NETNS WHERE COMMAND...
#
# runs COMMAND inside network namespace NETNS under strace and writes the capture to stdout:
# '#' lines (the command, how it was captured, WHERE: the namespace's setup and the script that
# made it, the tool versions), then every datagram the command sent ("> sendmsg", "> sendto") or
# received ("< recvmsg", "< recvfrom") as hex bytes (strace -xx's hex dump, reformatted; a
# MSG_PEEK read is left out, the real read of the same datagram follows it), then what the
# command printed, as "# output:" lines, and its exit status ("# exit:"). Standard input is
# passed to COMMAND (nft -f -). Run as root by the scenario scripts beside it (README.md lists
# them); it never touches the root namespace.
set -euo pipefail
ns=$1 where=$2; shift 2
trace=(strace -f -e trace=sendmsg,sendto,recvmsg,recvfrom -e write=all -e read=all -xx -s 65535)
echo "# command: $*"
echo "# captured with: ${trace[*]} $*"
echo "# inside $where"
echo "# versions: $("$1" -V 2>&1 | head -1 || true); $(strace -V | head -1); kernel $(uname -r)"
stdout=$(mktemp) status=$(mktemp)
trap 'rm -f "$stdout" "$status"' EXIT
{ ip netns exec "$ns" "${trace[@]}" "$@" 2>&1 >"$stdout" && echo 0 >"$status" || echo $? >"$status"; } |
  awk '
    /^(\[pid +[0-9]+\] )?(sendmsg|sendto|recvmsg|recvfrom)\(/ && /MSG_PEEK/ { header = ""; peek = 1; next }
    /^(\[pid +[0-9]+\] )?(sendmsg|sendto|recvmsg|recvfrom)\(/ { peek = 0 }
    /^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / && peek { next }
    /^(\[pid +[0-9]+\] )?sendmsg\(/ { header = "> sendmsg"; next }
    /^(\[pid +[0-9]+\] )?sendto\(/ { header = "> sendto"; next }
    /^(\[pid +[0-9]+\] )?recvmsg\(/ { header = "< recvmsg"; next }
    /^(\[pid +[0-9]+\] )?recvfrom\(/ { header = "< recvfrom"; next }
    /^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {
      if (header != "") { print header; header = "" }
      hex = substr($0, 11, 48); gsub(/  +/, " ", hex); sub(/^ /, "", hex); sub(/ +$/, "", hex); print hex; next }
    /^(\[pid +[0-9]+\] )?[a-z_0-9]+\(/ || /^ \* / || /^(\+\+\+|---) / { next }
    { print "# output: " $0 }
  ' || true
sed 's/^/# output: /' "$stdout"
echo "# exit: $(cat "$status")"
