using System;
using System.Collections.Generic;
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
    public static readonly Command Destroy = new(NfTablesMessageType.DestroySet, NetlinkMessageFlags.None, "destroy");

    private readonly Set _set;
    private readonly Command _command;

    public SetOperation(Set set, Command command)
    {
        ArgumentNullException.ThrowIfNull(set);
        ObjectNames.Check(set.Table, "table", nameof(set));
        ObjectNames.Check(set.Name, "set", nameof(set));
        UserDataLimit.Check(set.UserData, "set", nameof(set));
        _set = set;
        _command = command;
    }

    public Set Set => _set;

    public Command Kind => _command;

    public override void Write(NfnetlinkBatch batch)
    {
        batch.BeginMessage(_command.Type, _command.Flags, _set.Family, this);
        if (_command.Type == NfTablesMessageType.NewSet)
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

    public override IEnumerable<KernelFeature> Features(int? expressionIndex) =>
        _command.Type == NfTablesMessageType.DestroySet ? new[] { KernelFeatures.Destroy } : Array.Empty<KernelFeature>();

    protected override string Describe() => $"{_command.Verb} {(_set.IsMap ? "map" : "set")} {FamilyNames.Of(_set.Family)} {_set.Table} {_set.Name}";
}
