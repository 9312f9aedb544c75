using System;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>
/// NFT_MSG_NEWFLOWTABLE / DELFLOWTABLE / DESTROYFLOWTABLE: a flowtable added whole, or one
/// deleted by name or handle.
/// </summary>
internal sealed class FlowtableOperation : Operation
{
    public static readonly Command Add = new(NfTablesMessageType.NewFlowtable, NetlinkMessageFlags.Create, "add");
    public static readonly Command Create = new(NfTablesMessageType.NewFlowtable, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, "create");
    public static readonly Command Delete = new(NfTablesMessageType.DelFlowtable, NetlinkMessageFlags.None, "delete");
    public static readonly Command Destroy = Command.Destroying(NfTablesMessageType.DestroyFlowtable);

    private readonly Flowtable? _flowtable;
    private readonly NetfilterFamily _family;
    private readonly string _table;
    private readonly string? _name;
    private readonly ulong _handle;

    /// <summary>Adds or creates <paramref name="flowtable"/> (<see cref="Add"/>, <see cref="Create"/>).</summary>
    public FlowtableOperation(Flowtable flowtable, Command command)
        : base(command)
    {
        ArgumentNullException.ThrowIfNull(flowtable);
        if (flowtable.HookNumber is null != flowtable.Priority is null)
        {
            throw new ArgumentException("a flowtable's hook needs both HookNumber and Priority (libnftnl sends neither otherwise)", nameof(flowtable));
        }
        _flowtable = flowtable;
        _family = flowtable.Family;
        _table = flowtable.Table;
        _name = flowtable.Name;
    }

    /// <summary>Deletes or destroys the flowtable named <paramref name="name"/>, or else the one with <paramref name="handle"/> (<see cref="Delete"/>, <see cref="Destroy"/>).</summary>
    public FlowtableOperation(NetfilterFamily family, string table, string? name, ulong handle, Command command)
        : base(command)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ObjectNames.CheckNameOrHandle(name, handle, "flowtable");
        _family = family;
        _table = table;
        _name = name;
        _handle = handle;
    }

    public override void Write(NfnetlinkBatch batch)
    {
        batch.BeginMessage(Kind.Type, Kind.Flags, _family, this);
        if (_flowtable is not null)
        {
            FlowtableCodec.Write(batch.Writer, _flowtable);
        }
        else
        {
            FlowtableCodec.WriteReference(batch.Writer, _table, _name, _handle);
        }
        batch.EndMessage();
    }

    public override KernelFeature? MissingFeature(Errno errno, uint? offset, int? expressionIndex, Version kernel) =>
        base.MissingFeature(errno, offset, expressionIndex, kernel)
        // nf_tables_newflowtable: a missing table is ENOENT with NL_SET_BAD_ATTR on
        // NFTA_FLOWTABLE_TABLE; a kernel without a flowtable type for the family
        // (nft_flowtable_type_get) is ENOENT pointing at nothing.
        ?? (_flowtable is not null && errno == Errno.ENOENT && offset is null ? KernelFeatures.Flowtables : null);

    protected override string Describe() => $"{Kind.Verb} flowtable {FamilyNames.Of(_family)} {_table} " + (_name ?? $"handle {_handle}");
}
