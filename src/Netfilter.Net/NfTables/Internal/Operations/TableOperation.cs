using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>NFT_MSG_NEWTABLE / DELTABLE / DESTROYTABLE.</summary>
internal sealed class TableOperation : Operation
{
    // nft sends "add table" without NLM_F_CREATE: nf_tables_newtable creates a missing table regardless.
    public static readonly Command Add = new(NfTablesMessageType.NewTable, NetlinkMessageFlags.None, "add");
    public static readonly Command Create = new(NfTablesMessageType.NewTable, NetlinkMessageFlags.Excl, "create");
    public static readonly Command Delete = new(NfTablesMessageType.DelTable, NetlinkMessageFlags.None, "delete");
    public static readonly Command Destroy = Command.Destroying(NfTablesMessageType.DestroyTable);

    private readonly Table _table;

    public TableOperation(Table table, Command command)
        : base(command)
    {
        ArgumentNullException.ThrowIfNull(table);
        ObjectNames.Check(table.Name, "table", nameof(table));
        UserDataLimit.Check(table.UserData, "table", nameof(table));
        _table = table;
    }

    /// <summary>The table (for an in-memory kernel that applies the operation).</summary>
    public Table Table => _table;

    public override void Write(NfnetlinkBatch batch)
    {
        batch.BeginMessage(Kind.Type, Kind.Flags, _table.Family, this);
        TableCodec.Write(batch.Writer, _table, withFlags: Kind.Type == NfTablesMessageType.NewTable);
        batch.EndMessage();
    }

    public override IEnumerable<KernelFeature> Features(int? expressionIndex)
    {
        foreach (KernelFeature feature in base.Features(expressionIndex))
        {
            yield return feature;
        }
        if (Kind.Type == NfTablesMessageType.NewTable)
        {
            if ((_table.Flags & TableFlags.Owner) != 0)
            {
                yield return KernelFeatures.TableOwner;
            }
            if ((_table.Flags & TableFlags.Persist) != 0)
            {
                yield return KernelFeatures.TablePersist;
            }
        }
    }

    protected override string Describe() => $"{Kind.Verb} table {FamilyNames.Of(_table.Family)} {_table.Name}";
}
