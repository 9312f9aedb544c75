using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>A message type with the flags nft 1.0.6 sends it with for one command (checked against strace captures in the golden tests).</summary>
internal readonly record struct Command(byte Type, NetlinkMessageFlags Flags, string Verb);
