using System;
using System.Collections.Generic;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>A message type with the flags nft 1.0.6 sends it with for one command (checked against strace captures in the golden tests).</summary>
internal readonly record struct Command(byte Type, NetlinkMessageFlags Flags, string Verb)
{
    private static readonly KernelFeature[] s_destroy = { KernelFeatures.Destroy };

    /// <summary>
    /// The delete that ignores an absent object (NFT_MSG_DESTROY<paramref name="type"/>): sent
    /// without flags, and it needs <see cref="KernelFeatures.Destroy"/> (Linux 6.3).
    /// </summary>
    public static Command Destroying(byte type) => new(type, NetlinkMessageFlags.None, "destroy");

    /// <summary>A destroy (<see cref="Destroying"/>) rather than a delete that fails on an absent object.</summary>
    public bool IsDestroy => Type is NfTablesMessageType.DestroyTable or NfTablesMessageType.DestroyChain or NfTablesMessageType.DestroyRule
        or NfTablesMessageType.DestroySet or NfTablesMessageType.DestroySetElement or NfTablesMessageType.DestroyObj or NfTablesMessageType.DestroyFlowtable;

    /// <summary>
    /// The version-dependent kernel features the message type itself needs, whatever the message
    /// carries: a destroy needs <see cref="KernelFeatures.Destroy"/>. Each operation's
    /// <see cref="Operation.Features"/> starts from these.
    /// </summary>
    public IReadOnlyList<KernelFeature> Features => IsDestroy ? s_destroy : Array.Empty<KernelFeature>();
}
