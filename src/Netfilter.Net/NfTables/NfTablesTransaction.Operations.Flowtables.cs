using System;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesTransaction
{
    /// <summary>Factories of flowtable operations (NFT_MSG_NEWFLOWTABLE, _DELFLOWTABLE, _DESTROYFLOWTABLE), written through <see cref="WriterOperation"/>.</summary>
    private static class FlowtableOp
    {
        public static Operation Flowtable(Flowtable flowtable, NetlinkMessageFlags flags, string verb)
        {
            ArgumentNullException.ThrowIfNull(flowtable);
            if (flowtable.HookNumber is null != flowtable.Priority is null)
            {
                throw new ArgumentException("a flowtable's hook needs both HookNumber and Priority (libnftnl sends neither otherwise)", nameof(flowtable));
            }
            string description = $"{verb} flowtable {FamilyNames.Of(flowtable.Family)} {flowtable.Table} {flowtable.Name}";
            return new WriterOperation(description, (batch, op) =>
            {
                batch.BeginMessage(NfTablesMessageType.NewFlowtable, flags, flowtable.Family, op.Description);
                FlowtableCodec.Write(batch.Writer, flowtable);
                batch.EndMessage();
            }, explain: static (errno, offset) =>
                // nf_tables_newflowtable: a missing table is ENOENT with NL_SET_BAD_ATTR on
                // NFTA_FLOWTABLE_TABLE; a kernel without a flowtable type for the family
                // (nft_flowtable_type_get) is ENOENT pointing at nothing.
                errno == Errno.ENOENT && offset is null ? KernelFeatures.Flowtables : null);
        }

        public static Operation Reference(NetfilterFamily family, string table, string? name, ulong handle, byte messageType, string verb)
        {
            ArgumentException.ThrowIfNullOrEmpty(table);
            if (name is null && handle == 0)
            {
                throw new ArgumentException("a flowtable is named by its name or by its (nonzero) handle", nameof(handle));
            }
            if (name is not null && name.Length == 0)
            {
                throw new ArgumentException("the flowtable name is empty", nameof(name));
            }
            string description = $"{verb} flowtable {FamilyNames.Of(family)} {table} " + (name ?? $"handle {handle}");
            return new WriterOperation(description, (batch, op) =>
            {
                batch.BeginMessage(messageType, NetlinkMessageFlags.None, family, op.Description);
                FlowtableCodec.WriteReference(batch.Writer, table, name, handle);
                batch.EndMessage();
            }, messageType == NfTablesMessageType.DestroyFlowtable ? new[] { KernelFeatures.Destroy } : null);
        }
    }
}
