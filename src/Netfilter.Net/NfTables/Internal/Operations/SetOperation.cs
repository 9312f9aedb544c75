using System;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>NFT_MSG_NEWSET / DELSET / DESTROYSET.</summary>
internal sealed class SetOperation : Operation
{
    public static readonly Command Add = new(NfTablesMessageType.NewSet, NetlinkMessageFlags.Create, "add");
    public static readonly Command Create = new(NfTablesMessageType.NewSet, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, "create");
    public static readonly Command Delete = new(NfTablesMessageType.DelSet, NetlinkMessageFlags.None, "delete");
    public static readonly Command Destroy = Command.Destroying(NfTablesMessageType.DestroySet);

    private readonly Set _set;

    public SetOperation(Set set, Command command)
        : base(command)
    {
        ArgumentNullException.ThrowIfNull(set);
        ObjectNames.Check(set.Table, "table", nameof(set));
        ObjectNames.Check(set.Name, "set", nameof(set));
        UserDataLimit.Check(set.UserData, "set", nameof(set));
        _set = set;
    }

    public Set Set => _set;

    public override void Write(NfnetlinkBatch batch)
    {
        batch.BeginMessage(Kind.Type, Kind.Flags, _set.Family, this);
        if (Kind.Type == NfTablesMessageType.NewSet)
        {
            SetCodec.Write(batch.Writer, _set);
        }
        else
        {
            batch.Writer.WriteStringZ(SetAttribute.Table, _set.Table);
            batch.Writer.WriteStringZ(SetAttribute.Name, _set.Name);
        }
        batch.EndMessage();
    }

    protected override string Describe() => $"{Kind.Verb} {(_set.IsMap ? "map" : "set")} {FamilyNames.Of(_set.Family)} {_set.Table} {_set.Name}";
}
