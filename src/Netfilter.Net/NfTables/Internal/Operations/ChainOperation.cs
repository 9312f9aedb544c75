using System;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>NFT_MSG_NEWCHAIN / DELCHAIN / DESTROYCHAIN.</summary>
internal sealed class ChainOperation : Operation
{
    public static readonly Command Add = new(NfTablesMessageType.NewChain, NetlinkMessageFlags.Create, "add");
    public static readonly Command Create = new(NfTablesMessageType.NewChain, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, "create");
    public static readonly Command Delete = new(NfTablesMessageType.DelChain, NetlinkMessageFlags.None, "delete");
    public static readonly Command Destroy = Command.Destroying(NfTablesMessageType.DestroyChain);

    private readonly Chain _chain;

    public ChainOperation(Chain chain, Command command)
        : base(command)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ObjectNames.Check(chain.Table, "table", nameof(chain));
        ObjectNames.Check(chain.Name, "chain", nameof(chain));
        UserDataLimit.Check(chain.UserData, "chain", nameof(chain));
        _chain = chain;
    }

    public Chain Chain => _chain;

    public override void Write(NfnetlinkBatch batch)
    {
        batch.BeginMessage(Kind.Type, Kind.Flags, _chain.Family, this);
        if (Kind.Type == NfTablesMessageType.NewChain)
        {
            ChainCodec.Write(batch.Writer, _chain);
        }
        else
        {
            batch.Writer.WriteStringZ(ChainAttribute.Table, _chain.Table);
            batch.Writer.WriteStringZ(ChainAttribute.Name, _chain.Name);
        }
        batch.EndMessage();
    }

    protected override string Describe() => $"{Kind.Verb} chain {FamilyNames.Of(_chain.Family)} {_chain.Table} {_chain.Name}";
}
