using System;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesClient
{
    /// <summary>
    /// Reads one element of a set or map by its key (nft "get element"): one request, whatever
    /// the size of the set. Returns null when the element (or the set) does not exist.
    /// </summary>
    public async Task<SetElement?> GetElementAsync(NetfilterFamily family, string table, string set, NftData key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(set);
        ArgumentNullException.ThrowIfNull(key);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var writer = new NetlinkWriter(256);
            uint sequence = _connection.NextSequence();
            NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, NfTablesMessageType.GetSetElement, NetlinkMessageFlags.Ack, sequence, family);
            SetElementCodec.WriteHeader(writer, table, set, null);
            using (writer.BeginNested(SetElementListAttribute.Elements))
            {
                SetElementCodec.WriteElement(writer, new SetElement(key));
            }
            writer.EndMessage();
            SetElement? found = null;
            try
            {
                await _connection.ExecuteAsync(writer.WrittenMemory, sequence, "get NFT_MSG_GETSETELEM", (in NetlinkMessage message) =>
                {
                    if (NfnlMessageType.MessageOf(message.Type) == NfTablesMessageType.NewSetElement)
                    {
                        var elements = SetElementCodec.Decode(message).Elements;
                        if (elements.Count > 0)
                        {
                            found = elements[0];
                        }
                    }
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
            {
                return null;
            }
            return found;
        }
        finally
        {
            _gate.Release();
        }
    }
}
