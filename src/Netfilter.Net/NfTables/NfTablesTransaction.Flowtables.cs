using System;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesTransaction
{
    /// <summary>Adds a flowtable (nft "add flowtable"); an existing one of the same name gets the new devices added.</summary>
    public NfTablesTransaction AddFlowtable(Flowtable flowtable) => Add(FlowtableOp.Flowtable(flowtable, NetlinkMessageFlags.Create, "add"));

    /// <summary>Creates a flowtable; the transaction fails with EEXIST if one of the same name exists.</summary>
    public NfTablesTransaction CreateFlowtable(Flowtable flowtable) => Add(FlowtableOp.Flowtable(flowtable, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, "create"));

    /// <summary>Deletes the flowtable named <paramref name="name"/> (no rule may refer to it).</summary>
    public NfTablesTransaction DeleteFlowtable(NetfilterFamily family, string table, string name) =>
        Add(FlowtableOp.Reference(family, table, name ?? throw new ArgumentNullException(nameof(name)), 0, NfTablesMessageType.DelFlowtable, "delete"));

    /// <summary>Deletes the flowtable with <paramref name="handle"/>.</summary>
    public NfTablesTransaction DeleteFlowtable(NetfilterFamily family, string table, ulong handle) =>
        Add(FlowtableOp.Reference(family, table, null, handle, NfTablesMessageType.DelFlowtable, "delete"));

    /// <summary>Deletes the flowtable if it exists (NFT_MSG_DESTROYFLOWTABLE, kernel 6.3+).</summary>
    public NfTablesTransaction DestroyFlowtable(NetfilterFamily family, string table, string name) =>
        Add(FlowtableOp.Reference(family, table, name ?? throw new ArgumentNullException(nameof(name)), 0, NfTablesMessageType.DestroyFlowtable, "destroy"));
}
