using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack;

public sealed partial class ConntrackClient
{
    /// <summary>The number of entries and the table limit (IPCTNL_MSG_CT_GET_STATS, as <c>conntrack -C</c>).</summary>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public Task<ConntrackStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        ExclusiveAsync(async ct =>
        {
            using var writer = new NetlinkWriter(64);
            uint sequence = _connection.NextSequence();
            ConntrackRequests.GetStatistics(writer, sequence);
            ConntrackStatistics? statistics = null;
            await _connection.ExecuteAsync(writer.WrittenMemory, sequence, "get IPCTNL_MSG_CT_GET_STATS", (in NetlinkMessage m) =>
            {
                if (NfnlMessageType.MessageOf(m.Type) == CtnlMessageType.GetStats)
                {
                    statistics = ConntrackStatisticsDecoder.DecodeGlobal(m);
                }
            }, ct).ConfigureAwait(false);
            return statistics ?? throw new NetlinkProtocolException("get IPCTNL_MSG_CT_GET_STATS", "a statistics reply", "only an ack");
        }, cancellationToken);

    /// <summary>The counters of every CPU (IPCTNL_MSG_CT_GET_STATS_CPU, as <c>conntrack -S</c>).</summary>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public Task<IReadOnlyList<ConntrackCpuStatistics>> GetCpuStatisticsAsync(CancellationToken cancellationToken = default) =>
        ExclusiveAsync<IReadOnlyList<ConntrackCpuStatistics>>(async ct =>
        {
            using var writer = new NetlinkWriter(64);
            return await _connection.DumpAllAsync(sequence =>
            {
                writer.Reset();
                ConntrackRequests.GetCpuStatistics(writer, sequence);
                return writer.WrittenMemory;
            }, "dump IPCTNL_MSG_CT_GET_STATS_CPU", static (in NetlinkMessage m, out ConntrackCpuStatistics s) =>
            {
                s = ConntrackStatisticsDecoder.DecodeCpu(m);
                return true;
            }, DumpAttempts, ct).ConfigureAwait(false);
        }, cancellationToken);
}
