using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesTransaction
{
    /// <summary>
    /// Adds a stateful object (nft "add counter|quota|limit|ct helper|..."). If one of the same type
    /// and name exists, the kernel updates it where the type allows (quota, limit, ...) and keeps it otherwise.
    /// </summary>
    public NfTablesTransaction AddObject(NftObject obj) => Add(ObjectOp.Object(obj, NetlinkMessageFlags.Create, "add"));

    /// <summary>Creates a stateful object; the transaction fails with EEXIST if one of the same type and name exists.</summary>
    public NfTablesTransaction CreateObject(NftObject obj) => Add(ObjectOp.Object(obj, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, "create"));

    /// <summary>Deletes the object of <paramref name="type"/> named <paramref name="name"/>; it must not be referenced (EBUSY) and must exist (ENOENT).</summary>
    public NfTablesTransaction DeleteObject(NetfilterFamily family, string table, NftObjectType type, string name) =>
        Add(ObjectOp.Reference(family, table, type, name ?? throw new System.ArgumentNullException(nameof(name)), 0, NfTablesMessageType.DelObj, "delete"));

    /// <summary>Deletes the object of <paramref name="type"/> with <paramref name="handle"/>.</summary>
    public NfTablesTransaction DeleteObject(NetfilterFamily family, string table, NftObjectType type, ulong handle) =>
        Add(ObjectOp.Reference(family, table, type, null, handle, NfTablesMessageType.DelObj, "delete"));

    /// <summary>Deletes the object if it exists (NFT_MSG_DESTROYOBJ, kernel 6.3+).</summary>
    public NfTablesTransaction DestroyObject(NetfilterFamily family, string table, NftObjectType type, string name) =>
        Add(ObjectOp.Reference(family, table, type, name ?? throw new System.ArgumentNullException(nameof(name)), 0, NfTablesMessageType.DestroyObj, "destroy"));
}
