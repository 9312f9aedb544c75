using System.Collections.Generic;
using System.Threading;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesClient
{
    /// <summary>Streams the flowtables of <paramref name="family"/> (all families when Unspecified), optionally of one table.</summary>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public IAsyncEnumerable<Flowtable> ListFlowtablesAsync(NetfilterFamily family = NetfilterFamily.Unspecified, string? table = null, CancellationToken cancellationToken = default) =>
        StreamAsync(NfTablesMessageType.GetFlowtable, family, w => { if (table is not null) w.WriteStringZ(FlowtableAttribute.Table, table); }, "dump NFT_MSG_GETFLOWTABLE",
            static (in NetlinkMessage m, out Flowtable f) => { f = FlowtableCodec.Decode(m); return true; }, cancellationToken);
}
