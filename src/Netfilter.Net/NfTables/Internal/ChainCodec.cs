using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>Encodes and decodes NFT_MSG_*CHAIN messages.</summary>
internal static class ChainCodec
{
    // NFTA_DEVICE_NAME inside NFTA_HOOK_DEVS (enum nft_devices_attributes).
    private const ushort DeviceName = 1;

    /// <summary>
    /// Writes a chain's attributes in the order nft 1.0.6 sends them (strace of
    /// <c>nft add chain ip t c { type filter hook input priority 0; policy drop; comment "x"; }</c>):
    /// TABLE, NAME, TYPE, POLICY, HOOK, USERDATA; HANDLE, ID and FLAGS, which that capture does
    /// not show, where libnftnl's nftnl_chain_nlmsg_build_payload puts them relative to those.
    /// </summary>
    public static void Write(NetlinkWriter writer, Chain chain)
    {
        writer.WriteStringZ(ChainAttribute.Table, chain.Table);
        if (chain.Handle != 0)
        {
            writer.WriteUInt64BigEndian(ChainAttribute.Handle, chain.Handle);
        }
        writer.WriteStringZ(ChainAttribute.Name, chain.Name);
        if (chain.Id is uint id)
        {
            writer.WriteUInt32BigEndian(ChainAttribute.Id, id);
        }
        if (chain.Type is not null)
        {
            writer.WriteStringZ(ChainAttribute.Type, chain.Type);
        }
        if (chain.Policy is VerdictKind policy)
        {
            writer.WriteInt32BigEndian(ChainAttribute.Policy, (int)policy);
        }
        if (chain.Hook is ChainHook hook)
        {
            using (writer.BeginNested(ChainAttribute.Hook))
            {
                writer.WriteUInt32BigEndian(HookAttribute.HookNumber, hook.HookNumber);
                writer.WriteInt32BigEndian(HookAttribute.Priority, hook.Priority);
                if (hook.Device is not null)
                {
                    writer.WriteStringZ(HookAttribute.Device, hook.Device);
                }
                if (hook.Devices is { Count: > 0 } devices)
                {
                    using NetlinkNest nest = writer.BeginNested(HookAttribute.Devices);
                    foreach (string device in devices)
                    {
                        writer.WriteStringZ(DeviceName, device);
                    }
                }
            }
        }
        if (chain.Flags is uint flags)
        {
            writer.WriteUInt32BigEndian(ChainAttribute.Flags, flags);
        }
        if (!chain.UserData.IsEmpty)
        {
            writer.WriteBytes(ChainAttribute.UserData, chain.UserData.Span);
        }
    }

    public static Chain Decode(in NetlinkMessage message)
    {
        NfGenMsg header = NfGenMsg.Read(message.Payload, "NFT_MSG_NEWCHAIN");
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NFTA_CHAIN");
        string? table = null, name = null, type = null;
        ulong handle = 0;
        ChainHook? hook = null;
        VerdictKind? policy = null;
        uint? flags = null, id = null;
        uint use = 0;
        ReadOnlyMemory<byte> userData = default;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case ChainAttribute.Table: table = a.GetStringZ(); break;
                case ChainAttribute.Handle: handle = a.GetUInt64BigEndian(); break;
                case ChainAttribute.Name: name = a.GetStringZ(); break;
                case ChainAttribute.Hook: hook = DecodeHook(a); break;
                case ChainAttribute.Policy: policy = (VerdictKind)a.GetInt32BigEndian(); break;
                case ChainAttribute.Use: use = a.GetUInt32BigEndian(); break;
                case ChainAttribute.Type: type = a.GetStringZ(); break;
                case ChainAttribute.Flags: flags = a.GetUInt32BigEndian(); break;
                case ChainAttribute.Id: id = a.GetUInt32BigEndian(); break;
                case ChainAttribute.UserData: userData = a.Payload.ToArray(); break;
            }
        }
        if (string.IsNullOrEmpty(table) || string.IsNullOrEmpty(name))
        {
            throw new NetlinkProtocolException("NFT_MSG_NEWCHAIN", "non-empty NFTA_CHAIN_TABLE and NFTA_CHAIN_NAME", table is null || name is null ? "a missing attribute" : "an empty name");
        }
        return new Chain(header.Family, table, name)
        {
            Handle = handle,
            Hook = hook,
            Policy = policy,
            Use = use,
            Type = type,
            Flags = flags,
            Id = id,
            UserData = userData,
        };
    }

    private static ChainHook DecodeHook(in NetlinkAttribute attribute)
    {
        uint hookNumber = 0;
        int priority = 0;
        string? device = null;
        List<string>? devices = null;
        NetlinkAttributeReader reader = attribute.GetNested("NFTA_CHAIN_HOOK");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case HookAttribute.HookNumber: hookNumber = a.GetUInt32BigEndian(); break;
                case HookAttribute.Priority: priority = a.GetInt32BigEndian(); break;
                case HookAttribute.Device: device = a.GetStringZ(); break;
                case HookAttribute.Devices:
                    devices = new List<string>();
                    NetlinkAttributeReader names = a.GetNested("NFTA_HOOK_DEVS");
                    while (names.TryRead(out NetlinkAttribute n))
                    {
                        devices.Add(n.GetStringZ());
                    }
                    break;
            }
        }
        return new ChainHook(hookNumber, priority, device) { Devices = devices };
    }
}
