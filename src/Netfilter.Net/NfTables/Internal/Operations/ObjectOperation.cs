using System;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>
/// NFT_MSG_NEWOBJ / DELOBJ / DESTROYOBJ: a stateful object (counter, quota, limit, ct helper...)
/// added whole, or one deleted by name or handle.
/// </summary>
internal sealed class ObjectOperation : Operation
{
    public static readonly Command Add = new(NfTablesMessageType.NewObj, NetlinkMessageFlags.Create, "add");
    public static readonly Command Create = new(NfTablesMessageType.NewObj, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, "create");
    public static readonly Command Delete = new(NfTablesMessageType.DelObj, NetlinkMessageFlags.None, "delete");
    public static readonly Command Destroy = Command.Destroying(NfTablesMessageType.DestroyObj);

    private readonly NftObject? _object;
    private readonly NetfilterFamily _family;
    private readonly string _table;
    private readonly NftObjectType _type;
    private readonly string? _name;
    private readonly ulong _handle;

    /// <summary>Adds or creates <paramref name="obj"/> (<see cref="Add"/>, <see cref="Create"/>).</summary>
    public ObjectOperation(NftObject obj, Command command)
        : base(command)
    {
        ArgumentNullException.ThrowIfNull(obj);
        _object = obj;
        _family = obj.Family;
        _table = obj.Table;
        _type = obj.Type;
        _name = obj.Name;
    }

    /// <summary>Deletes or destroys the object named <paramref name="name"/>, or else the one with <paramref name="handle"/> (<see cref="Delete"/>, <see cref="Destroy"/>).</summary>
    public ObjectOperation(NetfilterFamily family, string table, NftObjectType type, string? name, ulong handle, Command command)
        : base(command)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ObjectNames.CheckNameOrHandle(name, handle, "object");
        _family = family;
        _table = table;
        _type = type;
        _name = name;
        _handle = handle;
    }

    public override void Write(NfnetlinkBatch batch)
    {
        batch.BeginMessage(Kind.Type, Kind.Flags, _family, this);
        if (_object is not null)
        {
            ObjectCodec.Write(batch.Writer, _object);
        }
        else
        {
            ObjectCodec.WriteReference(batch.Writer, _table, _type, _name, _handle);
        }
        batch.EndMessage();
    }

    protected override string Describe() => $"{Kind.Verb} {TypeName(_type)} {FamilyNames.Of(_family)} {_table} " + (_name ?? $"handle {_handle}");

    /// <summary>nft's word for the type, for descriptions: "counter", "ct helper"...</summary>
    private static string TypeName(NftObjectType type) => type switch
    {
        NftObjectType.Counter => "counter",
        NftObjectType.Quota => "quota",
        NftObjectType.CtHelper => "ct helper",
        NftObjectType.Limit => "limit",
        NftObjectType.Connlimit => "connlimit",
        NftObjectType.Tunnel => "tunnel",
        NftObjectType.CtTimeout => "ct timeout",
        NftObjectType.Secmark => "secmark",
        NftObjectType.CtExpectation => "ct expectation",
        NftObjectType.Synproxy => "synproxy",
        _ => $"object type {(uint)type}",
    };
}
