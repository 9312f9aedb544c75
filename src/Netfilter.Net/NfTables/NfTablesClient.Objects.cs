using System.Collections.Generic;
using System.Threading;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Attributes;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesClient
{
    /// <summary>
    /// Streams the stateful objects of <paramref name="family"/> (all families when Unspecified),
    /// optionally of one table and of one type (the kernel filters: NFTA_OBJ_TABLE, NFTA_OBJ_TYPE).
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the dump (ENOENT: no such table).</exception>
    public IAsyncEnumerable<NftObject> ListObjectsAsync(NetfilterFamily family = NetfilterFamily.Unspecified, string? table = null, NftObjectType? type = null, CancellationToken cancellationToken = default) =>
        StreamAsync(NfTablesMessageType.GetObj, family, w => WriteObjectFilter(w, table, type), "dump NFT_MSG_GETOBJ",
            static (in NetlinkMessage m, out NftObject o) => { o = ObjectCodec.Decode(m); return true; }, cancellationToken);

    /// <summary>
    /// Like <see cref="ListObjectsAsync"/>, and resets what the objects count in the same step
    /// (NFT_MSG_GETOBJ_RESET): each counter and quota is returned with the values it had, then starts again from zero.
    /// </summary>
    public IAsyncEnumerable<NftObject> ResetObjectsAsync(NetfilterFamily family = NetfilterFamily.Unspecified, string? table = null, NftObjectType? type = null, CancellationToken cancellationToken = default) =>
        StreamAsync(NfTablesMessageType.GetObjReset, family, w => WriteObjectFilter(w, table, type), "dump NFT_MSG_GETOBJ_RESET",
            static (in NetlinkMessage m, out NftObject o) => { o = ObjectCodec.Decode(m); return true; }, cancellationToken);

    private static void WriteObjectFilter(NetlinkWriter writer, string? table, NftObjectType? type)
    {
        if (table is not null) writer.WriteStringZ(ObjectAttribute.Table, table);
        if (type is NftObjectType t) writer.WriteUInt32BigEndian(ObjectAttribute.Type, (uint)t);
    }
}
