using System;
using System.Net.Sockets;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>
/// Builds ctnetlink requests. Attribute order and flags follow what conntrack(8) (libnetfilter_conntrack)
/// sends for the same operation, so captures of the tool can check our bytes.
/// </summary>
internal static class ConntrackRequests
{
    /// <summary>IP_CT_TCP_FLAG_SACK_PERM | IP_CT_TCP_FLAG_BE_LIBERAL: conntrack -I sets them (with the same mask) on TCP entries it creates, whose windows are unknown.</summary>
    public const TcpConntrackFlags LiberalTcpFlags = TcpConntrackFlags.SackPermitted | TcpConntrackFlags.BeLiberal;

    /// <summary>A table dump (IPCTNL_MSG_CT_GET, or GET_CTRZERO to zero the counters of what is dumped).</summary>
    public static void Dump(NetlinkWriter writer, uint sequence, in ConntrackKernelFilter filter, bool zeroCounters)
    {
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.Ctnetlink, zeroCounters ? CtnlMessageType.GetCounterZero : CtnlMessageType.Get, NetlinkMessageFlags.Dump, sequence, filter.Family);
        filter.Write(writer);
        writer.EndMessage();
    }

    /// <summary>Get one entry by its original tuple (IPCTNL_MSG_CT_GET with NLM_F_ACK, as conntrack -G).</summary>
    public static void Get(NetlinkWriter writer, uint sequence, ConntrackTuple original, ushort zone)
    {
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.Ctnetlink, CtnlMessageType.Get, NetlinkMessageFlags.Ack, sequence, FamilyOf(original));
        TupleCodec.Encode(writer, CtaAttribute.TupleOriginal, original);
        WriteZone(writer, zone);
        writer.EndMessage();
    }

    /// <summary>Create an entry (IPCTNL_MSG_CT_NEW with NLM_F_CREATE|NLM_F_EXCL|NLM_F_ACK, as conntrack -I).</summary>
    public static void Create(NetlinkWriter writer, uint sequence, ConntrackEntry entry)
    {
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.Ctnetlink, CtnlMessageType.New, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl | NetlinkMessageFlags.Ack, sequence, entry.Family);
        TupleCodec.Encode(writer, CtaAttribute.TupleOriginal, entry.Original);
        TupleCodec.Encode(writer, CtaAttribute.TupleReply, entry.Reply);
        // conntrack -I always sends IPS_CONFIRMED with the status; the kernel requires nothing.
        writer.WriteUInt32BigEndian(CtaAttribute.Status, (uint)(entry.Status | ConntrackStatus.Confirmed));
        writer.WriteUInt32BigEndian(CtaAttribute.Timeout, TimeoutSeconds(entry.Timeout!.Value, "entry"));
        if (entry.Mark != 0)
        {
            writer.WriteUInt32BigEndian(CtaAttribute.Mark, entry.Mark);
        }
        if (ProtocolInfoToCreate(entry) is ConntrackProtocolInfo info)
        {
            ProtocolInfoCodec.Encode(writer, info);
        }
        WriteZone(writer, entry.Zone);
        if (!entry.Labels.IsEmpty)
        {
            entry.Labels.Encode(writer.BeginAttribute(CtaAttribute.Labels, 16));
        }
        writer.EndMessage();
    }

    /// <summary>Change an entry (IPCTNL_MSG_CT_NEW with NLM_F_ACK and no NLM_F_CREATE, as conntrack -U).</summary>
    public static void Update(NetlinkWriter writer, uint sequence, ConntrackTuple original, ushort zone, ConntrackUpdate update)
    {
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.Ctnetlink, CtnlMessageType.New, NetlinkMessageFlags.Ack, sequence, FamilyOf(original));
        TupleCodec.Encode(writer, CtaAttribute.TupleOriginal, original);
        if (update.Status is ConntrackStatus status)
        {
            writer.WriteUInt32BigEndian(CtaAttribute.Status, (uint)status);
        }
        if (update.Timeout is TimeSpan timeout)
        {
            writer.WriteUInt32BigEndian(CtaAttribute.Timeout, TimeoutSeconds(timeout, nameof(update)));
        }
        if (update.Mark is uint mark)
        {
            writer.WriteUInt32BigEndian(CtaAttribute.Mark, mark);
            if (update.MarkMask is uint mask)
            {
                writer.WriteUInt32BigEndian(CtaAttribute.MarkMask, mask);
            }
        }
        if (update.TcpState is TcpConntrackState state)
        {
            ProtocolInfoCodec.Encode(writer, new TcpConntrackInfo { State = state });
        }
        WriteZone(writer, zone);
        if (update.Labels is ConntrackLabels labels)
        {
            labels.Encode(writer.BeginAttribute(CtaAttribute.Labels, 16));
            if (update.LabelsMask is ConntrackLabels labelsMask)
            {
                labelsMask.Encode(writer.BeginAttribute(CtaAttribute.LabelsMask, 16));
            }
        }
        writer.EndMessage();
    }

    /// <summary>Delete one entry by its original tuple (IPCTNL_MSG_CT_DELETE with NLM_F_ACK), only if its id matches when <paramref name="id"/> is given.</summary>
    public static void Delete(NetlinkWriter writer, uint sequence, ConntrackTuple original, ushort zone, uint? id)
    {
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.Ctnetlink, CtnlMessageType.Delete, NetlinkMessageFlags.Ack, sequence, FamilyOf(original));
        TupleCodec.Encode(writer, CtaAttribute.TupleOriginal, original);
        if (id is uint value)
        {
            writer.WriteUInt32BigEndian(CtaAttribute.Id, value);
        }
        WriteZone(writer, zone);
        writer.EndMessage();
    }

    /// <summary>
    /// Flush (IPCTNL_MSG_CT_DELETE without a tuple, as conntrack -F), filtered by <paramref name="filter"/>.
    /// The kernel honours the nfgenmsg family of a flush only when version is 1 or CTA_FILTER is present
    /// (ctnetlink_del_conntrack: "u3 = nfmsg->version || cda[CTA_FILTER] ? family : AF_UNSPEC").
    /// </summary>
    public static void Flush(NetlinkWriter writer, uint sequence, in ConntrackKernelFilter filter)
    {
        byte version = filter.Family != NetfilterFamily.Unspecified ? (byte)1 : NfGenMsg.Version0;
        writer.BeginMessage(NfnlMessageType.Make(NfnlSubsystem.Ctnetlink, CtnlMessageType.Delete), NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        new NfGenMsg(filter.Family, version, 0).Write(writer);
        filter.Write(writer);
        writer.EndMessage();
    }

    /// <summary>Global count and limit (IPCTNL_MSG_CT_GET_STATS; conntrack -C sends it without NLM_F_ACK).</summary>
    public static void GetStatistics(NetlinkWriter writer, uint sequence)
    {
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.Ctnetlink, CtnlMessageType.GetStats, NetlinkMessageFlags.Ack, sequence, NetfilterFamily.Unspecified);
        writer.EndMessage();
    }

    /// <summary>Per-CPU statistics (IPCTNL_MSG_CT_GET_STATS_CPU dump, as conntrack -S).</summary>
    public static void GetCpuStatistics(NetlinkWriter writer, uint sequence)
    {
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.Ctnetlink, CtnlMessageType.GetStatsCpu, NetlinkMessageFlags.Dump, sequence, NetfilterFamily.Unspecified);
        writer.EndMessage();
    }

    /// <summary>Expectation dump (IPCTNL_MSG_EXP_GET, as conntrack -L expect).</summary>
    public static void DumpExpectations(NetlinkWriter writer, uint sequence, NetfilterFamily family)
    {
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.CtnetlinkExpectation, CtnlExpectationMessageType.Get, NetlinkMessageFlags.Dump, sequence, family);
        writer.EndMessage();
    }

    /// <summary>Expectation flush (IPCTNL_MSG_EXP_DELETE without a tuple, as conntrack -F expect).</summary>
    public static void FlushExpectations(NetlinkWriter writer, uint sequence, NetfilterFamily family)
    {
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.CtnetlinkExpectation, CtnlExpectationMessageType.Delete, NetlinkMessageFlags.Ack, sequence, family);
        writer.EndMessage();
    }

    /// <summary>
    /// What a new entry says of its protocol: a TCP entry always carries flags, by default
    /// <see cref="LiberalTcpFlags"/> as conntrack -I sends them (the windows of an entry made
    /// by hand are unknown, so they must not be checked).
    /// </summary>
    private static ConntrackProtocolInfo? ProtocolInfoToCreate(ConntrackEntry entry)
    {
        if (entry.Protocol != ProtocolType.Tcp)
        {
            return entry.ProtocolInfo;
        }
        TcpConntrackInfo tcp = entry.ProtocolInfo as TcpConntrackInfo ?? new TcpConntrackInfo();
        return tcp with { FlagsOriginal = tcp.FlagsOriginal ?? LiberalTcpFlags, FlagsReply = tcp.FlagsReply ?? LiberalTcpFlags };
    }

    private static void WriteZone(NetlinkWriter writer, ushort zone)
    {
        if (zone != 0)
        {
            writer.WriteUInt16BigEndian(CtaAttribute.Zone, zone);
        }
    }

    private static NetfilterFamily FamilyOf(ConntrackTuple tuple) =>
        tuple.AddressFamily == AddressFamily.InterNetworkV6 ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4;

    private static uint TimeoutSeconds(TimeSpan timeout, string parameterName)
    {
        if (timeout < TimeSpan.Zero || timeout.TotalSeconds > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(parameterName, timeout, "a conntrack timeout is 0 or more whole seconds");
        }
        return (uint)timeout.TotalSeconds;
    }
}
