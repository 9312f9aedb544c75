using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>Decodes IPCTNL_MSG_CT_GET_STATS and IPCTNL_MSG_CT_GET_STATS_CPU replies. Counters no longer maintained are read and ignored.</summary>
internal static class ConntrackStatisticsDecoder
{
    public static ConntrackStatistics DecodeGlobal(in NetlinkMessage message)
    {
        NfGenMsg.Read(message.Payload, "IPCTNL_MSG_CT_GET_STATS");
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "CTA_STATS_GLOBAL");
        uint entries = 0, max = 0;
        bool seen = false;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case CtaStatsGlobalAttribute.Entries:
                    entries = a.GetUInt32BigEndian();
                    seen = true;
                    break;
                case CtaStatsGlobalAttribute.MaxEntries:
                    max = a.GetUInt32BigEndian();
                    break;
            }
        }
        if (!seen)
        {
            throw new NetlinkProtocolException("IPCTNL_MSG_CT_GET_STATS", "a CTA_STATS_GLOBAL_ENTRIES attribute", "none");
        }
        return new ConntrackStatistics(entries, max);
    }

    public static ConntrackCpuStatistics DecodeCpu(in NetlinkMessage message)
    {
        NfGenMsg header = NfGenMsg.Read(message.Payload, "IPCTNL_MSG_CT_GET_STATS_CPU");
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "CTA_STATS");
        uint found = 0, invalid = 0, insert = 0, insertFailed = 0, drop = 0, earlyDrop = 0, error = 0, restart = 0, clash = 0, chain = 0;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case CtaStatsCpuAttribute.Found: found = a.GetUInt32BigEndian(); break;
                case CtaStatsCpuAttribute.Invalid: invalid = a.GetUInt32BigEndian(); break;
                case CtaStatsCpuAttribute.Insert: insert = a.GetUInt32BigEndian(); break;
                case CtaStatsCpuAttribute.InsertFailed: insertFailed = a.GetUInt32BigEndian(); break;
                case CtaStatsCpuAttribute.Drop: drop = a.GetUInt32BigEndian(); break;
                case CtaStatsCpuAttribute.EarlyDrop: earlyDrop = a.GetUInt32BigEndian(); break;
                case CtaStatsCpuAttribute.Error: error = a.GetUInt32BigEndian(); break;
                case CtaStatsCpuAttribute.SearchRestart: restart = a.GetUInt32BigEndian(); break;
                case CtaStatsCpuAttribute.ClashResolve: clash = a.GetUInt32BigEndian(); break;
                case CtaStatsCpuAttribute.ChainTooLong: chain = a.GetUInt32BigEndian(); break;
            }
        }
        return new ConntrackCpuStatistics
        {
            // ctnetlink_ct_stat_cpu_fill_info puts the CPU number in res_id.
            Cpu = header.ResourceId,
            Found = found,
            Invalid = invalid,
            Insert = insert,
            InsertFailed = insertFailed,
            Drop = drop,
            EarlyDrop = earlyDrop,
            Error = error,
            SearchRestart = restart,
            ClashResolve = clash,
            ChainTooLong = chain,
        };
    }
}
