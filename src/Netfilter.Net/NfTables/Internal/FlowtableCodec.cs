using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// Encodes and decodes NFT_MSG_*FLOWTABLE messages:
/// <code>
/// NFTA_FLOWTABLE_TABLE, NFTA_FLOWTABLE_NAME
/// NFTA_FLOWTABLE_HOOK (nested)
///   NFTA_FLOWTABLE_HOOK_NUM be32, NFTA_FLOWTABLE_HOOK_PRIORITY be32 (signed)
///   NFTA_FLOWTABLE_HOOK_DEVS (nested) { NFTA_DEVICE_NAME string ... }
/// NFTA_FLOWTABLE_FLAGS be32, NFTA_FLOWTABLE_HANDLE be64, NFTA_FLOWTABLE_USE be32 (dumps)
/// </code>
/// </summary>
internal static class FlowtableCodec
{
    /// <summary>A NEWFLOWTABLE body in libnftnl's nftnl_flowtable_nlmsg_build_payload order.</summary>
    public static void Write(NetlinkWriter writer, Flowtable flowtable)
    {
        writer.WriteStringZ(FlowtableAttribute.Table, flowtable.Table);
        writer.WriteStringZ(FlowtableAttribute.Name, flowtable.Name);
        // libnftnl sends the hook nest only when both the hook number and the priority are set.
        if (flowtable.HookNumber is uint hook && flowtable.Priority is int priority)
        {
            using NetlinkNest nest = writer.BeginNested(FlowtableAttribute.Hook);
            writer.WriteUInt32BigEndian(FlowtableHookAttribute.Number, hook);
            writer.WriteInt32BigEndian(FlowtableHookAttribute.Priority, priority);
            if (flowtable.Devices is not null)
            {
                using NetlinkNest devices = writer.BeginNested(FlowtableHookAttribute.Devices);
                foreach (string device in flowtable.Devices)
                {
                    writer.WriteStringZ(FlowtableHookAttribute.DeviceName, device);
                }
            }
        }
        if (flowtable.Flags is FlowtableFlags flags)
        {
            writer.WriteUInt32BigEndian(FlowtableAttribute.Flags, (uint)flags);
        }
        if (flowtable.Handle != 0)
        {
            writer.WriteUInt64BigEndian(FlowtableAttribute.Handle, flowtable.Handle);
        }
    }

    /// <summary>A DELFLOWTABLE/DESTROYFLOWTABLE body, as nft's mnl_nft_flowtable_del writes it: the table, then the name or else the handle.</summary>
    public static void WriteReference(NetlinkWriter writer, string table, string? name, ulong handle)
    {
        writer.WriteStringZ(FlowtableAttribute.Table, table);
        if (name is not null)
        {
            writer.WriteStringZ(FlowtableAttribute.Name, name);
        }
        else
        {
            writer.WriteUInt64BigEndian(FlowtableAttribute.Handle, handle);
        }
    }

    public static Flowtable Decode(in NetlinkMessage message)
    {
        NfGenMsg header = NfGenMsg.Read(message.Payload, "NFT_MSG_NEWFLOWTABLE");
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NFTA_FLOWTABLE");
        string? table = null, name = null;
        ulong handle = 0;
        uint use = 0;
        uint? hook = null;
        int? priority = null;
        List<string>? devices = null;
        FlowtableFlags? flags = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case FlowtableAttribute.Table: table = a.GetStringZ(); break;
                case FlowtableAttribute.Name: name = a.GetStringZ(); break;
                case FlowtableAttribute.Handle: handle = a.GetUInt64BigEndian(); break;
                case FlowtableAttribute.Use: use = a.GetUInt32BigEndian(); break;
                case FlowtableAttribute.Flags: flags = (FlowtableFlags)a.GetUInt32BigEndian(); break;
                case FlowtableAttribute.Hook:
                    NetlinkAttributeReader hookReader = a.GetNested("NFTA_FLOWTABLE_HOOK");
                    while (hookReader.TryRead(out NetlinkAttribute h))
                    {
                        switch (h.Type)
                        {
                            case FlowtableHookAttribute.Number: hook = h.GetUInt32BigEndian(); break;
                            case FlowtableHookAttribute.Priority: priority = h.GetInt32BigEndian(); break;
                            case FlowtableHookAttribute.Devices:
                                devices = new List<string>();
                                NetlinkAttributeReader names = h.GetNested("NFTA_FLOWTABLE_HOOK_DEVS");
                                while (names.TryRead(out NetlinkAttribute n))
                                {
                                    if (n.Type == FlowtableHookAttribute.DeviceName)
                                    {
                                        devices.Add(n.GetStringZ());
                                    }
                                }
                                break;
                        }
                    }
                    break;
            }
        }
        // An empty name is as malformed as a missing one (found by the fuzz suite: Flowtable's constructor refused it with ArgumentException).
        if (string.IsNullOrEmpty(table) || string.IsNullOrEmpty(name))
        {
            throw new NetlinkProtocolException("NFT_MSG_NEWFLOWTABLE", "NFTA_FLOWTABLE_TABLE and NFTA_FLOWTABLE_NAME", "a missing or empty attribute");
        }
        return new Flowtable(header.Family, table, name)
        {
            Handle = handle,
            Use = use,
            HookNumber = hook,
            Priority = priority,
            Devices = devices,
            Flags = flags,
        };
    }
}
