using System;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>Encodes and decodes NFT_MSG_*TABLE messages.</summary>
internal static class TableCodec
{
    public static void Write(NetlinkWriter writer, Table table, bool withFlags)
    {
        writer.WriteStringZ(TableAttribute.Name, table.Name);
        if (withFlags)
        {
            writer.WriteUInt32BigEndian(TableAttribute.Flags, (uint)table.Flags);
        }
        if (table.Handle != 0)
        {
            writer.WriteUInt64BigEndian(TableAttribute.Handle, table.Handle);
        }
        if (!table.UserData.IsEmpty)
        {
            writer.WriteBytes(TableAttribute.UserData, table.UserData.Span);
        }
    }

    public static Table Decode(in NetlinkMessage message)
    {
        NfGenMsg header = NfGenMsg.Read(message.Payload, "NFT_MSG_NEWTABLE");
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NFTA_TABLE");
        string? name = null;
        TableFlags flags = TableFlags.None;
        ulong handle = 0;
        uint use = 0;
        uint? owner = null;
        ReadOnlyMemory<byte> userData = default;
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            switch (attribute.Type)
            {
                case TableAttribute.Name:
                    name = attribute.GetStringZ();
                    break;
                case TableAttribute.Flags:
                    flags = (TableFlags)attribute.GetUInt32BigEndian();
                    break;
                case TableAttribute.Use:
                    use = attribute.GetUInt32BigEndian();
                    break;
                case TableAttribute.Handle:
                    handle = attribute.GetUInt64BigEndian();
                    break;
                case TableAttribute.UserData:
                    userData = attribute.Payload.ToArray();
                    break;
                case TableAttribute.Owner:
                    owner = attribute.GetUInt32BigEndian();
                    break;
            }
        }
        if (string.IsNullOrEmpty(name))
        {
            throw new NetlinkProtocolException("NFT_MSG_NEWTABLE", "a non-empty NFTA_TABLE_NAME attribute", name is null ? "none" : "an empty name");
        }
        return new Table(header.Family, name) { Flags = flags, Handle = handle, Use = use, Owner = owner, UserData = userData };
    }

    public static RulesetGeneration DecodeGeneration(in NetlinkMessage message)
    {
        NfGenMsg.Read(message.Payload, "NFT_MSG_NEWGEN");
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NFTA_GEN");
        uint? id = null;
        uint pid = 0;
        string? name = null;
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            switch (attribute.Type)
            {
                case GenerationAttribute.Id:
                    id = attribute.GetUInt32BigEndian();
                    break;
                case GenerationAttribute.ProcessId:
                    pid = attribute.GetUInt32BigEndian();
                    break;
                case GenerationAttribute.ProcessName:
                    name = attribute.GetString();
                    break;
            }
        }
        if (id is null)
        {
            throw new NetlinkProtocolException("NFT_MSG_NEWGEN", "an NFTA_GEN_ID attribute", "none");
        }
        return new RulesetGeneration(id.Value, pid, name);
    }
}
