using System;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Attributes;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// Encodes and decodes NFT_MSG_*OBJ messages:
/// <code>
/// NFTA_OBJ_TABLE, NFTA_OBJ_NAME, NFTA_OBJ_TYPE be32, NFTA_OBJ_HANDLE be64, NFTA_OBJ_USERDATA,
/// NFTA_OBJ_DATA (nested)   the type's own attributes (counter, quota, ct helper...)
/// NFTA_OBJ_USE be32        dumps only
/// </code>
/// </summary>
internal static class ObjectCodec
{
    /// <summary>A NEWOBJ message body, in libnftnl's nftnl_obj_nlmsg_build_payload order.</summary>
    public static void Write(NetlinkWriter writer, NftObject obj)
    {
        writer.WriteStringZ(ObjectAttribute.Table, obj.Table);
        writer.WriteStringZ(ObjectAttribute.Name, obj.Name);
        writer.WriteUInt32BigEndian(ObjectAttribute.Type, (uint)obj.Type);
        if (obj.Handle != 0)
        {
            writer.WriteUInt64BigEndian(ObjectAttribute.Handle, obj.Handle);
        }
        if (!obj.UserData.IsEmpty)
        {
            writer.WriteBytes(ObjectAttribute.UserData, obj.UserData.Span);
        }
        using NetlinkNest data = writer.BeginNested(ObjectAttribute.Data);
        obj.EncodeData(writer);
    }

    /// <summary>
    /// A DELOBJ/DESTROYOBJ (or GETOBJ) body naming one object, as nft's mnl_nft_obj_del writes it:
    /// the table, the name or else the handle, the type, and an empty NFTA_OBJ_DATA nest (libnftnl
    /// opens it whenever the type is known).
    /// </summary>
    public static void WriteReference(NetlinkWriter writer, string table, NftObjectType type, string? name, ulong handle)
    {
        writer.WriteStringZ(ObjectAttribute.Table, table);
        if (name is not null)
        {
            writer.WriteStringZ(ObjectAttribute.Name, name);
        }
        else
        {
            writer.WriteUInt64BigEndian(ObjectAttribute.Handle, handle);
        }
        writer.WriteUInt32BigEndian(ObjectAttribute.Type, (uint)type);
        using NetlinkNest data = writer.BeginNested(ObjectAttribute.Data);
    }

    public static NftObject Decode(in NetlinkMessage message)
    {
        NfGenMsg header = NfGenMsg.Read(message.Payload, "NFT_MSG_NEWOBJ");
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NFTA_OBJ");
        string? table = null, name = null;
        uint? type = null;
        ulong handle = 0;
        uint use = 0;
        ReadOnlySpan<byte> data = default;
        ReadOnlyMemory<byte> userData = default;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case ObjectAttribute.Table: table = a.GetStringZ(); break;
                case ObjectAttribute.Name: name = a.GetStringZ(); break;
                case ObjectAttribute.Type: type = a.GetUInt32BigEndian(); break;
                case ObjectAttribute.Data: data = a.Payload; break;
                case ObjectAttribute.Use: use = a.GetUInt32BigEndian(); break;
                case ObjectAttribute.Handle: handle = a.GetUInt64BigEndian(); break;
                case ObjectAttribute.UserData: userData = a.Payload.ToArray(); break;
            }
        }
        // An empty name is as malformed as a missing one (found by the fuzz suite: the object's constructor refused it with ArgumentException).
        if (string.IsNullOrEmpty(table) || string.IsNullOrEmpty(name) || type is null)
        {
            throw new NetlinkProtocolException("NFT_MSG_NEWOBJ", "NFTA_OBJ_TABLE, NFTA_OBJ_NAME and NFTA_OBJ_TYPE", "a missing or empty attribute");
        }
        NftObject obj = ObjectRegistry.Decode(header.Family, table, name, (NftObjectType)type.Value, data);
        return obj with { Handle = handle, Use = use, UserData = userData };
    }
}
