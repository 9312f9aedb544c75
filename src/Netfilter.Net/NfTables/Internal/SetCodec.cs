using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>Encodes and decodes NFT_MSG_*SET messages.</summary>
internal static class SetCodec
{
    public static void Write(NetlinkWriter writer, Set set)
    {
        writer.WriteStringZ(SetAttribute.Table, set.Table);
        writer.WriteStringZ(SetAttribute.Name, set.Name);
        if (set.Handle != 0)
        {
            writer.WriteUInt64BigEndian(SetAttribute.Handle, set.Handle);
        }
        writer.WriteUInt32BigEndian(SetAttribute.Flags, (uint)set.Flags);
        writer.WriteUInt32BigEndian(SetAttribute.KeyType, set.KeyType);
        writer.WriteUInt32BigEndian(SetAttribute.KeyLength, set.KeyLength);
        if (set.DataType is uint dataType)
        {
            writer.WriteUInt32BigEndian(SetAttribute.DataType, dataType);
        }
        if (set.DataLength is uint dataLength)
        {
            writer.WriteUInt32BigEndian(SetAttribute.DataLength, dataLength);
        }
        if (set.ObjectType is uint objectType)
        {
            writer.WriteUInt32BigEndian(SetAttribute.ObjectType, objectType);
        }
        if (set.Policy is uint policy)
        {
            writer.WriteUInt32BigEndian(SetAttribute.Policy, policy);
        }
        if (set.Id is uint id)
        {
            writer.WriteUInt32BigEndian(SetAttribute.Id, id);
        }
        if (set.Timeout is ulong timeout)
        {
            writer.WriteUInt64BigEndian(SetAttribute.Timeout, timeout);
        }
        if (set.GcInterval is uint gc)
        {
            writer.WriteUInt32BigEndian(SetAttribute.GcInterval, gc);
        }
        if (set.Size is not null || set.ConcatFieldLengths is { Count: > 0 })
        {
            using NetlinkNest desc = writer.BeginNested(SetAttribute.Descriptor);
            if (set.Size is uint size)
            {
                writer.WriteUInt32BigEndian(SetDescriptorAttribute.Size, size);
            }
            if (set.ConcatFieldLengths is { Count: > 0 } fields)
            {
                using NetlinkNest concat = writer.BeginNested(SetDescriptorAttribute.Concat);
                foreach (uint length in fields)
                {
                    using NetlinkNest element = writer.BeginNested(ListAttribute.Element);
                    writer.WriteUInt32BigEndian(SetDescriptorAttribute.FieldLength, length);
                }
            }
        }
        if (!set.UserData.IsEmpty)
        {
            writer.WriteBytes(SetAttribute.UserData, set.UserData.Span);
        }
        ExpressionListCodec.WriteOneOrList(writer, SetAttribute.Expression, SetAttribute.Expressions, set.Expressions);
    }

    public static Set Decode(in NetlinkMessage message)
    {
        NfGenMsg header = NfGenMsg.Read(message.Payload, "NFT_MSG_NEWSET");
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NFTA_SET");
        string? table = null, name = null;
        ulong handle = 0;
        SetFlags flags = SetFlags.None;
        uint keyType = 0, keyLength = 0;
        uint? dataType = null, dataLength = null, objectType = null, policy = null, size = null, id = null, gc = null;
        ulong? timeout = null;
        List<uint>? fields = null;
        ReadOnlyMemory<byte> userData = default;
        List<NftExpression>? expressions = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case SetAttribute.Table: table = a.GetStringZ(); break;
                case SetAttribute.Name: name = a.GetStringZ(); break;
                case SetAttribute.Handle: handle = a.GetUInt64BigEndian(); break;
                case SetAttribute.Flags: flags = (SetFlags)a.GetUInt32BigEndian(); break;
                case SetAttribute.KeyType: keyType = a.GetUInt32BigEndian(); break;
                case SetAttribute.KeyLength: keyLength = a.GetUInt32BigEndian(); break;
                case SetAttribute.DataType: dataType = a.GetUInt32BigEndian(); break;
                case SetAttribute.DataLength: dataLength = a.GetUInt32BigEndian(); break;
                case SetAttribute.ObjectType: objectType = a.GetUInt32BigEndian(); break;
                case SetAttribute.Policy: policy = a.GetUInt32BigEndian(); break;
                case SetAttribute.Id: id = a.GetUInt32BigEndian(); break;
                case SetAttribute.Timeout: timeout = a.GetUInt64BigEndian(); break;
                case SetAttribute.GcInterval: gc = a.GetUInt32BigEndian(); break;
                case SetAttribute.UserData: userData = a.Payload.ToArray(); break;
                case SetAttribute.Descriptor:
                    NetlinkAttributeReader desc = a.GetNested("NFTA_SET_DESC");
                    while (desc.TryRead(out NetlinkAttribute d))
                    {
                        if (d.Type == SetDescriptorAttribute.Size)
                        {
                            size = d.GetUInt32BigEndian();
                        }
                        else if (d.Type == SetDescriptorAttribute.Concat)
                        {
                            fields = new List<uint>();
                            NetlinkAttributeReader list = d.GetNested("NFTA_SET_DESC_CONCAT");
                            while (list.TryRead(out NetlinkAttribute element))
                            {
                                NetlinkAttributeReader field = element.GetNested("NFTA_SET_FIELD");
                                while (field.TryRead(out NetlinkAttribute f))
                                {
                                    if (f.Type == SetDescriptorAttribute.FieldLength)
                                    {
                                        fields.Add(f.GetUInt32BigEndian());
                                    }
                                }
                            }
                        }
                    }
                    break;
                case SetAttribute.Expression:
                    expressions = new List<NftExpression> { ExpressionListCodec.ReadExpressionBody(a.Payload, "NFTA_SET_EXPR") };
                    break;
                case SetAttribute.Expressions:
                    expressions = ExpressionListCodec.Read(a, "NFTA_SET_EXPRESSIONS");
                    break;
            }
        }
        if (string.IsNullOrEmpty(table) || string.IsNullOrEmpty(name))
        {
            throw new NetlinkProtocolException("NFT_MSG_NEWSET", "non-empty NFTA_SET_TABLE and NFTA_SET_NAME", table is null || name is null ? "a missing attribute" : "an empty name");
        }
        return new Set(header.Family, table, name)
        {
            Handle = handle,
            Flags = flags,
            KeyType = keyType,
            KeyLength = keyLength,
            DataType = dataType,
            DataLength = dataLength,
            ObjectType = objectType,
            Policy = policy,
            Id = id,
            Timeout = timeout,
            GcInterval = gc,
            Size = size,
            ConcatFieldLengths = fields,
            UserData = userData,
            Expressions = expressions,
        };
    }
}
